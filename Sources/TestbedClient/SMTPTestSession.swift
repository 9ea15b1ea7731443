/// A minimal SMTP client for testbed tests: EHLO, one message, QUIT. Replies are
/// read whole (multi-line `250-...`); any unexpected code throws with the server's text, and
/// a timeout names the step the server stalled at (the greeting, a command, the end of DATA).
public final class SMTPTestSession {
    public let socket: LineSocket

    /// The default timeout is generous: the testbed's Postfix shares two cores with the
    /// build and every other suite in CI, and a queue-file fsync can take seconds there.
    public init(_ endpoint: TestbedEndpoint, timeout: Int = 30) async throws {
        socket = try await LineSocket(host: endpoint.host, port: endpoint.port, timeout: timeout)
        try expect(220, try await reply(after: "connect (greeting)"))
        try await socket.write("EHLO client.test\r\n")
        try expect(250, try await reply(after: "EHLO"))
    }

    /// Sends one message and returns the final reply text (Postfix: `250 2.0.0 Ok: queued as ...`).
    /// `message` is the whole message, headers and body, with CRLF or LF line ends; lines are
    /// sent with CRLF and dot-stuffed.
    @discardableResult
    public func send(from: String, to recipients: [String], message: String) async throws -> String {
        try await socket.write("MAIL FROM:<\(from)>\r\n")
        try expect(250, try await reply(after: "MAIL FROM"))
        for recipient in recipients {
            try await socket.write("RCPT TO:<\(recipient)>\r\n")
            try expect(250, try await reply(after: "RCPT TO:<\(recipient)>"))
        }
        try await socket.write("DATA\r\n")
        try expect(354, try await reply(after: "DATA"))
        var data = ""
        for line in message.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
            if line.hasPrefix(".") { line = "." + line }
            data += line + "\r\n"
        }
        try await socket.write(data + ".\r\n")
        let final = try await reply(after: "the end of DATA")
        try expect(250, final)
        return final.text
    }

    public func quit() async throws {
        try await socket.write("QUIT\r\n")
        _ = try await reply(after: "QUIT")
    }

    /// One reply: its code and all its lines' text joined by newlines. `step` (what was just
    /// sent) goes into a read error, so a CI log says where the server stalled.
    public func reply(after step: String? = nil) async throws -> (code: Int, text: String) {
        var lines: [String] = []
        while true {
            let line: String
            do {
                line = try await socket.readLine()
            } catch let error as LineSocketError where step != nil {
                throw LineSocketError(peer: error.peer, what: "\(error.what) waiting for the reply to \(step!)", errno: error.errno)
            }
            lines.append(line)
            let chars = Array(line)
            if chars.count < 4 || chars[3] != "-" {
                return (Int(String(chars.prefix(3))) ?? 0, lines.joined(separator: "\n"))
            }
        }
    }

    private func expect(_ code: Int, _ reply: (code: Int, text: String)) throws {
        guard reply.code == code else {
            throw LineSocketError(peer: socket.peer, what: "expected SMTP \(code), got: \(reply.text)")
        }
    }
}
