/// A minimal, blocking SMTP client for testbed tests: EHLO, one message, QUIT. Replies are
/// read whole (multi-line `250-...`); any unexpected code throws with the server's text.
public final class SMTPTestSession {
    public let socket: LineSocket

    public init(_ endpoint: TestbedEndpoint, timeout: Int = 10) throws {
        socket = try LineSocket(host: endpoint.host, port: endpoint.port, timeout: timeout)
        try expect(220, try reply())
        try socket.write("EHLO client.test\r\n")
        try expect(250, try reply())
    }

    /// Sends one message and returns the final reply text (Postfix: `250 2.0.0 Ok: queued as ...`).
    /// `message` is the whole message, headers and body, with CRLF or LF line ends; lines are
    /// sent with CRLF and dot-stuffed.
    @discardableResult
    public func send(from: String, to recipients: [String], message: String) throws -> String {
        try socket.write("MAIL FROM:<\(from)>\r\n")
        try expect(250, try reply())
        for recipient in recipients {
            try socket.write("RCPT TO:<\(recipient)>\r\n")
            try expect(250, try reply())
        }
        try socket.write("DATA\r\n")
        try expect(354, try reply())
        var data = ""
        for line in message.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
            if line.hasPrefix(".") { line = "." + line }
            data += line + "\r\n"
        }
        try socket.write(data + ".\r\n")
        let final = try reply()
        try expect(250, final)
        return final.text
    }

    public func quit() throws {
        try socket.write("QUIT\r\n")
        _ = try reply()
    }

    /// One reply: its code and all its lines' text joined by newlines.
    public func reply() throws -> (code: Int, text: String) {
        var lines: [String] = []
        while true {
            let line = try socket.readLine()
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
