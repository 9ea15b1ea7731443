import Foundation

/// An IMAP account URL: `imap://user@host[:port]` (STARTTLS unless disabled, port 143) or
/// `imaps://user@host[:port]` (TLS from the first byte, port 993). The user may be
/// percent-encoded (`alice%40example.com`); `user*master` is kept as is. A password in the
/// URL is refused: it would be visible in the process list.
public struct IMAPURL: Hashable, Sendable, CustomStringConvertible {
    public enum Scheme: String, Sendable {
        case imap
        case imaps
    }

    public var scheme: Scheme
    public var user: String
    public var host: String
    public var port: Int

    public init(scheme: Scheme, user: String, host: String, port: Int) {
        self.scheme = scheme
        self.user = user
        self.host = host
        self.port = port
    }

    public init(parsing text: String) throws {
        guard let schemeEnd = text.range(of: "://") else { throw IMAPURLError("\(text): expected imap://user@host[:port] or imaps://...") }
        guard let scheme = Scheme(rawValue: text[..<schemeEnd.lowerBound].lowercased()) else {
            throw IMAPURLError("\(text): the scheme must be imap or imaps")
        }
        var rest = text[schemeEnd.upperBound...]
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard let at = rest.lastIndex(of: "@") else { throw IMAPURLError("\(text): the user is missing (imap://user@host)") }
        let userPart = rest[..<at]
        guard !userPart.contains(":") else { throw IMAPURLError("passwords are not accepted in URLs; use a password file or environment variable") }
        guard let user = IMAPURL.percentDecoded(String(userPart)), !user.isEmpty else { throw IMAPURLError("\(text): invalid user") }
        let hostPort = rest[rest.index(after: at)...]
        var host = String(hostPort)
        var port = scheme == .imaps ? 993 : 143
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { throw IMAPURLError("\(text): unterminated [IPv6] host") }
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if after.hasPrefix(":") { port = try IMAPURL.port(after.dropFirst(), in: text) }
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = String(hostPort[..<colon])
            port = try IMAPURL.port(hostPort[hostPort.index(after: colon)...], in: text)
        }
        guard !host.isEmpty, !host.contains("/") else { throw IMAPURLError("\(text): invalid host") }
        self.init(scheme: scheme, user: user, host: host, port: port)
    }

    private static func port(_ text: Substring, in url: String) throws -> Int {
        guard let port = Int(text), (1...65535).contains(port) else { throw IMAPURLError("\(url): invalid port") }
        return port
    }

    public static func percentDecoded(_ text: String) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            else { return nil }
            bytes.append(value)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    public var description: String { "\(scheme.rawValue)://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)" }
}

public struct IMAPURLError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
