import Foundation

/// A Maildir endpoint: `maildir:/path/to/Maildir[?key=value&...]`, the path absolute.
///
/// Keys: `format=courier|dovecot` (default: courier as the source, dovecot as the
/// destination); `utf8=yes|no` (folder names on disk: Dovecot's `:UTF-8` /
/// `mailbox_list_utf8`; for Courier, force UTF-8 or modified UTF-7 instead of detecting per
/// name); `separator=C` and `prefix=P` (the Dovecot inbox namespace, for folder names in
/// reports and rules: default `/` and none).
public struct MaildirURL: Hashable, Sendable, CustomStringConvertible {
    public enum Format: String, Sendable {
        case courier
        case dovecot
    }

    public var path: String
    public var format: Format?
    public var utf8: Bool?
    public var separator: Character?
    public var prefix: String?

    public static func isMaildir(_ text: String) -> Bool { text.lowercased().hasPrefix("maildir:") }

    public init(parsing text: String) throws {
        guard MaildirURL.isMaildir(text) else { throw IMAPURLError("\(text): expected maildir:/path") }
        var rest = String(text.dropFirst("maildir:".count))
        if rest.hasPrefix("//") { rest.removeFirst(2) }  // maildir:///path
        var query = ""
        if let mark = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: mark)...])
            rest = String(rest[..<mark])
        }
        guard rest.hasPrefix("/") else { throw IMAPURLError("\(text): the Maildir path must be absolute (maildir:/home/alice/Maildir)") }
        while rest.count > 1, rest.hasSuffix("/") { rest.removeLast() }
        guard !rest.contains("{"), !rest.contains("}") else {
            throw IMAPURLError("\(text): {user} and {home} are replaced only for accounts of a --config file")
        }
        path = rest
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let key = parts[0].lowercased()
            let value = parts.count > 1 ? (parts[1].removingPercentEncoding ?? parts[1]) : ""
            switch key {
            case "format":
                guard let format = Format(rawValue: value.lowercased()) else {
                    throw IMAPURLError("\(text): format must be courier or dovecot")
                }
                self.format = format
            case "utf8":
                switch value.lowercased() {
                case "yes", "true", "1": utf8 = true
                case "no", "false", "0": utf8 = false
                default: throw IMAPURLError("\(text): utf8 must be yes or no")
                }
            case "separator":
                guard value.count == 1, value != "\"", value != "\\" else {
                    throw IMAPURLError("\(text): separator must be one character such as / or .")
                }
                separator = value.first
            case "prefix":
                prefix = value
            default:
                throw IMAPURLError("\(text): unknown setting \(key) (format, utf8, separator, prefix)")
            }
        }
    }

    public var description: String { "maildir:" + path + (format.map { "?format=\($0.rawValue)" } ?? "") }
}
