/// Dovecot's `dovecot-keywords`: which keyword the file name letters `a`…`z` stand for in
/// one folder, as lines `<index> <name>`.
///
/// Read as `maildir-keywords.c` reads it: lines without a space, indexes of 26 and more,
/// empty names and repeated names are skipped. Only 26 keywords fit in file names; more
/// are reported by ``assign(_:)`` instead of being lost silently.
public struct DovecotKeywords: Hashable, Sendable {
    public static let fileName = "dovecot-keywords"

    /// Index (0–25) to keyword.
    public private(set) var names: [Int: String]

    public init(names: [Int: String] = [:]) {
        self.names = names.filter { (0..<MaildirFlagLetters.maximumKeywordIndexes).contains($0.key) && !$0.value.isEmpty }
    }

    public static func parse(_ bytes: [UInt8], path: String) -> (DovecotKeywords, [MaildirDiagnostic]) {
        var names: [Int: String] = [:]
        var seen: Set<String> = []
        var diagnostics: [MaildirDiagnostic] = []
        for line in LineSplitter.lines(bytes) where !line.isEmpty {
            guard let space = line.bytes.firstIndex(of: 0x20), let index = line.bytes[..<space].decimal(maxDigits: 3),
                index < UInt64(MaildirFlagLetters.maximumKeywordIndexes),
                let name = String(validating: line.bytes[(space + 1)...], as: UTF8.self), !name.isEmpty, !seen.contains(name)
            else {
                diagnostics.append(MaildirDiagnostic(.warning, .skippedLine, path: path, line: line.number, "skipped, as Dovecot skips it"))
                continue
            }
            seen.insert(name)
            names[Int(index)] = name
        }
        return (DovecotKeywords(names: names), diagnostics)
    }

    /// `"%u %s\n"` per keyword, by index.
    public func serialized() -> [UInt8] {
        Array(names.keys.sorted().map { "\($0) \(names[$0]!)\n" }.joined().utf8)
    }

    /// The index of a keyword: the exact spelling, else a case-insensitive match (IMAP
    /// keywords are case-insensitive; an existing spelling is reused rather than doubled).
    public func index(of keyword: String) -> Int? {
        if let exact = names.first(where: { $0.value == keyword }) { return exact.key }
        let folded = keyword.lowercased()
        return names.keys.sorted().first { names[$0]!.lowercased() == folded }
    }

    public var isFull: Bool { names.count >= MaildirFlagLetters.maximumKeywordIndexes }

    /// Give letters to keywords that have none, in the order given (most used first), into
    /// the free indexes from `a` upward. Existing assignments never move. Returns the
    /// keywords that did not fit.
    public mutating func assign(_ keywords: [String]) -> [String] {
        var overflow: [String] = []
        for keyword in keywords where index(of: keyword) == nil {
            guard let free = (0..<MaildirFlagLetters.maximumKeywordIndexes).first(where: { names[$0] == nil }) else {
                overflow.append(keyword)
                continue
            }
            names[free] = keyword
        }
        return overflow
    }
}

extension UInt8 {
    var isHexDigit: Bool {
        (self >= 0x30 && self <= 0x39) || (self >= 0x41 && self <= 0x46) || (self >= 0x61 && self <= 0x66)
    }
}
