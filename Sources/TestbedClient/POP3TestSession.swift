/// A minimal POP3 client for testbed tests (RFC 1939, RFC 2449 CAPA): USER/PASS,
/// single- and multi-line commands, UIDL and LIST. Like ``IMAPTestSession`` it is
/// independent of the product's code on purpose.
public final class POP3TestSession {
    public let socket: LineSocket
    /// The greeting after `+OK`, e.g. `Hello there.` (Courier) or `Dovecot (...) ready.`.
    public let greeting: String

    public init(_ endpoint: TestbedEndpoint, timeout: Int = 30) async throws {
        socket = try await LineSocket(host: endpoint.host, port: endpoint.port, timeout: timeout)
        let first = try Self.status(try await socket.readLine(), peer: socket.peer)
        guard first.isOK else { throw LineSocketError(peer: socket.peer, what: "POP3 greeting: -ERR \(first.text)") }
        greeting = first.text
    }

    /// Sends a command whose answer is one status line (USER, PASS, DELE, QUIT...).
    @discardableResult
    public func command(_ command: String) async throws -> POP3TestResponse {
        try await socket.write(command + "\r\n")
        return try Self.status(try await socket.readLine(), peer: socket.peer)
    }

    /// Sends a command whose `+OK` answer is followed by lines up to a lone `.` (CAPA, UIDL,
    /// LIST, RETR, TOP). A `-ERR` has no lines.
    public func multiline(_ command: String) async throws -> POP3TestResponse {
        let first = try await self.command(command)
        guard first.isOK else { return first }
        var lines: [String] = []
        while true {
            let line = try await socket.readLine()
            if line == "." { return POP3TestResponse(text: first.text, isOK: true, lines: lines) }
            lines.append(line.hasPrefix("..") ? String(line.dropFirst()) : line)
        }
    }

    /// USER then PASS; returns PASS's answer, or USER's if that was already `-ERR`.
    @discardableResult
    public func login(_ user: String, _ password: String) async throws -> POP3TestResponse {
        let answer = try await command("USER \(user)")
        guard answer.isOK else { return answer }
        return try await command("PASS \(password)")
    }

    /// The UIDL of every message, in message-number order (element 0 is message 1).
    public func uidl() async throws -> [String] {
        try await numberedValues("UIDL")
    }

    /// The size of every message as LIST reports it (CRLF line ends counted), in order.
    public func list() async throws -> [Int] {
        try await numberedValues("LIST").map { value in
            guard let size = Int(value) else { throw LineSocketError(peer: socket.peer, what: "LIST size is not a number: \(value)") }
            return size
        }
    }

    public func quit() async throws {
        _ = try await command("QUIT")
    }

    /// `N value` lines of a multi-line answer, checked to be numbered 1, 2, 3...
    private func numberedValues(_ command: String) async throws -> [String] {
        let answer = try await multiline(command)
        guard answer.isOK else { throw LineSocketError(peer: socket.peer, what: "\(command): -ERR \(answer.text)") }
        return try answer.lines.enumerated().map { index, line in
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, Int(parts[0]) == index + 1 else {
                throw LineSocketError(peer: socket.peer, what: "\(command) line \(index + 1) is not '\(index + 1) <value>': \(line)")
            }
            return String(parts[1])
        }
    }

    static func status(_ line: String, peer: String) throws -> POP3TestResponse {
        if line == "+OK" || line.hasPrefix("+OK ") {
            return POP3TestResponse(text: String(line.dropFirst(4)), isOK: true, lines: [])
        }
        if line == "-ERR" || line.hasPrefix("-ERR ") {
            return POP3TestResponse(text: String(line.dropFirst(5)), isOK: false, lines: [])
        }
        throw LineSocketError(peer: peer, what: "not a POP3 status line: \(line)")
    }
}
