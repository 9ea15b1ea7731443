/// Dovecot's `subscriptions` file: the subscribed folders, by storage name (without the
/// namespace prefix, in the on-disk encoding), INBOX as `INBOX`.
///
/// Two formats (`subscription-file.c`): version 1 has one name per line with the levels
/// joined by the storage separator (`.` for Maildir++); version 2 starts with `V\t2\n\n`
/// and joins the levels with TAB, each level tab-escaped. Dovecot writes version 2 for a
/// new file and keeps version 1 when it edits an existing one; so does this type.
public struct DovecotSubscriptions: Hashable, Sendable {
    public static let fileName = "subscriptions"
    static let version2Header = Array("V\t2\n\n".utf8)

    public enum Format: Hashable, Sendable {
        case version1
        case version2
    }

    public var format: Format
    /// Each entry's levels in storage encoding; `["INBOX"]` for INBOX.
    public private(set) var entries: [[String]]

    public init(format: Format = .version2, entries: [[String]] = []) {
        self.format = format
        self.entries = []
        for entry in entries { add(entry) }
    }

    /// Add an entry unless it is already there.
    public mutating func add(_ levels: [String]) {
        guard !levels.isEmpty, !entries.contains(levels) else { return }
        entries.append(levels)
    }

    public static func parse(_ bytes: [UInt8], path: String) -> DovecotSubscriptions {
        if bytes.starts(with: version2Header) {
            var result = DovecotSubscriptions(format: .version2)
            for line in LineSplitter.lines(Array(bytes.dropFirst(version2Header.count))) where !line.isEmpty {
                let levels = line.bytes.split(separator: 0x09, omittingEmptySubsequences: false).map { unescape($0) }
                result.add(levels)
            }
            return result
        }
        var result = DovecotSubscriptions(format: .version1)
        for line in LineSplitter.lines(bytes) where !line.isEmpty {
            var text = String(decoding: line.bytes, as: UTF8.self)
            if text.hasSuffix(".") { text.removeLast() }  // tolerated "for backwards compatibility"
            result.add(text.split(separator: ".", omittingEmptySubsequences: false).map(String.init))
        }
        return result
    }

    public func serialized() -> [UInt8] {
        switch format {
        case .version1:
            return Array(entries.map { $0.joined(separator: ".") + "\n" }.joined().utf8)
        case .version2:
            var bytes = DovecotSubscriptions.version2Header
            for entry in entries {
                bytes += Array(entry.map(DovecotSubscriptions.escape).joined(separator: "\t").utf8)
                bytes.append(0x0A)
            }
            return bytes
        }
    }

    /// Dovecot's `str_tabescape`: `\001` → `\0011`, TAB → `\001t`, CR → `\001r`, LF → `\001n`.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\u{01}": out += "\u{01}1"
            case "\t": out += "\u{01}t"
            case "\r": out += "\u{01}r"
            case "\n": out += "\u{01}n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func unescape(_ bytes: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        var iterator = bytes.makeIterator()
        while let byte = iterator.next() {
            guard byte == 0x01, let code = iterator.next() else {
                out.append(byte)
                continue
            }
            switch code {
            case UInt8(ascii: "1"): out.append(0x01)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "0"): out.append(0x00)
            default: out.append(code)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
