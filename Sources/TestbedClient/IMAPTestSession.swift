import Foundation

/// A minimal IMAP client for testbed tests: tagged commands, untagged lines with
/// their literals, LOGIN. Not the product's IMAP client, on purpose (see ``LineSocket``, which also says
/// where its blocking reads run).
public final class IMAPTestSession {
    public let socket: LineSocket
    /// The server greeting, e.g. `* OK [CAPABILITY ...] Courier-IMAP ready. ...`.
    public let greeting: String
    private var nextTag = 1

    public init(_ endpoint: TestbedEndpoint, timeout: Int = 30) async throws {
        socket = try await LineSocket(host: endpoint.host, port: endpoint.port, timeout: timeout)
        greeting = try await socket.readLine()
    }

    /// Sends `tag command` and reads up to the tagged completion. Literals in untagged
    /// responses (`{n}` at the end of a line) are read as bytes and kept, in order.
    @discardableResult
    public func command(_ command: String) async throws -> IMAPTestResponse {
        let tag = "t\(nextTag)"
        nextTag += 1
        try await socket.write("\(tag) \(command)\r\n")
        var untagged: [String] = []
        var literals: [[UInt8]] = []
        while true {
            var line = try await socket.readLine()
            while let size = Self.trailingLiteralSize(line) {
                literals.append(try await socket.readBytes(size))
                line += "\u{0}" + (try await socket.readLine())  // NUL marks where the literal was
            }
            if line.hasPrefix(tag + " ") {
                let rest = line.dropFirst(tag.count + 1)
                let status = rest.prefix { $0 != " " }
                return IMAPTestResponse(status: String(status), text: String(rest), untagged: untagged, literals: literals)
            }
            untagged.append(line)
        }
    }

    /// `APPEND` with a synchronizing literal (Courier offers no LITERAL+): the message bytes
    /// are sent only after the server's continuation request.
    @discardableResult
    public func append(to mailbox: String, flags: String = "", _ message: [UInt8]) async throws -> IMAPTestResponse {
        let tag = "t\(nextTag)"
        nextTag += 1
        try await socket.write("\(tag) APPEND \(Self.quoted(mailbox)) (\(flags)) {\(message.count)}\r\n")
        let first = try await socket.readLine()
        guard first.hasPrefix("+") else {
            let rest = first.hasPrefix(tag + " ") ? String(first.dropFirst(tag.count + 1)) : first
            return IMAPTestResponse(status: String(rest.prefix { $0 != " " }), text: rest, untagged: [], literals: [])
        }
        try await socket.write(message + Array("\r\n".utf8))
        var untagged: [String] = []
        while true {
            let line = try await socket.readLine()
            if line.hasPrefix(tag + " ") {
                let rest = line.dropFirst(tag.count + 1)
                return IMAPTestResponse(status: String(rest.prefix { $0 != " " }), text: String(rest), untagged: untagged, literals: [])
            }
            untagged.append(line)
        }
    }

    /// `LOGIN` with both arguments as quoted strings.
    @discardableResult
    public func login(_ user: String, _ password: String) async throws -> IMAPTestResponse {
        try await command("LOGIN \(Self.quoted(user)) \(Self.quoted(password))")
    }

    /// A quoted string (RFC 3501 `quoted`): backslash and double quote escaped.
    public static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func trailingLiteralSize(_ line: String) -> Int? {
        guard line.hasSuffix("}"), let open = line.lastIndex(of: "{") else { return nil }
        var digits = line[line.index(after: open)..<line.index(before: line.endIndex)]
        if digits.hasSuffix("+") { digits = digits.dropLast() }
        return Int(digits)
    }
}
