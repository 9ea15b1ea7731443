/// A Maildir message file name: `<unique>[,S=<size>][,W=<vsize>][:2,<flags>[,<extra>]]`.
///
/// The **base** is everything before the first `:`; both Courier's and Dovecot's UID lists
/// are keyed on it, so it must never change while a message keeps its UID. The info
/// section after the `:` carries the flags. Fields after the flags (`,<extra>`) are kept
/// untouched, as Dovecot does.
public struct MaildirFilename: Hashable, Sendable, CustomStringConvertible {
    /// The complete file name.
    public let rawValue: String
    /// Everything before the first `:`.
    public let base: String
    /// Everything after the first `:` (without it), or `nil` when there is no `:`.
    public let info: String?

    /// Parse any name; only ``isValid(_:)`` names should be written.
    public init(_ rawValue: String) {
        self.rawValue = rawValue
        if let colon = rawValue.utf8.firstIndex(of: UInt8(ascii: ":")) {
            base = String(rawValue[..<colon])
            info = String(rawValue[rawValue.utf8.index(after: colon)...])
        } else {
            base = rawValue
            info = nil
        }
    }

    /// A name for `cur/`: the base with `:2,<flags>` and, if given, `,<extra>`.
    public init(base: String, flags: MaildirFlagLetters, extraInfo: String? = nil) {
        var name = base + ":2," + flags.description
        if let extraInfo, !extraInfo.isEmpty { name += "," + extraInfo }
        self.init(name)
    }

    /// The flags of a `:2,` info section (letters up to the next `,`), empty otherwise.
    public var flags: MaildirFlagLetters {
        guard let info, info.hasPrefix("2,") else { return .empty }
        let letters = info.utf8.dropFirst(2).prefix { $0 != UInt8(ascii: ",") }
        return MaildirFlagLetters(letters: letters)
    }

    /// Whatever follows the flags in a `:2,` info section, after the separating `,`.
    public var extraInfo: String? {
        guard let info, info.hasPrefix("2,") else { return nil }
        let rest = info.utf8.dropFirst(2)
        guard let comma = rest.firstIndex(of: UInt8(ascii: ",")) else { return nil }
        return String(info[info.utf8.index(after: comma)...])
    }

    /// True for a `:2,` info section (the only one Courier and Dovecot interpret).
    public var hasStandardInfo: Bool { info?.hasPrefix("2,") ?? false }

    /// `,S=<n>`: the physical size recorded in the base (Maildir++ quota shortcut).
    public var sizeField: Int64? { MaildirFilename.field(UInt8(ascii: "S"), in: base) }

    /// `,W=<n>`: the CRLF size recorded in the base (written by Dovecot only).
    public var virtualSizeField: Int64? { MaildirFilename.field(UInt8(ascii: "W"), in: base) }

    /// The same name with other flags, keeping base and extra fields.
    public func with(flags: MaildirFlagLetters) -> MaildirFilename {
        MaildirFilename(base: base, flags: flags, extraInfo: extraInfo)
    }

    public var description: String { rawValue }

    /// A base with its `,S=` value replaced (or appended when absent).
    public static func base(_ base: String, replacingSize size: Int64) -> String {
        var parts = fields(of: base)
        if let index = parts.indices.dropFirst().first(where: { parts[$0].utf8.starts(with: "S=".utf8) }) {
            parts[index] = "S=\(size)"
        } else {
            parts.insert("S=\(size)", at: 1)
        }
        return parts.joined(separator: ",")
    }

    /// True if `name` can be a message file name in `cur/` or `new/`: non-empty, no `/`,
    /// NUL, CR or LF (Dovecot ignores files with CR/LF), and not hidden (a leading `.` makes
    /// both servers skip it).
    public static func isValid(_ name: String) -> Bool {
        guard let first = name.utf8.first, first != UInt8(ascii: ".") else { return false }
        return !name.utf8.contains { $0 == UInt8(ascii: "/") || $0 == 0 || $0 == 10 || $0 == 13 }
    }

    private static func field(_ key: UInt8, in base: String) -> Int64? {
        for part in fields(of: base).dropFirst() {
            let bytes = Array(part.utf8)
            guard bytes.count > 2, bytes[0] == key, bytes[1] == UInt8(ascii: "=") else { continue }
            let digits = bytes.dropFirst(2)
            guard digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }), digits.count <= 18 else { return nil }
            return Int64(String(decoding: digits, as: UTF8.self))
        }
        return nil
    }

    /// The base split at every `,` byte, an empty unique part included. Split on bytes, not
    /// on Characters: a character that joins the next one into one grapheme (U+0601 before
    /// `,`, say) would otherwise hide the comma, and a size field written after it could not
    /// be read back.
    private static func fields(of base: String) -> [String] {
        base.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }
}
