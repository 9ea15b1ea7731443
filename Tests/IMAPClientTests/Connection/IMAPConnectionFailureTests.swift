@testable import IMAPClient
import IMAPCodec
import MailModel
import NIOCore
import Testing

/// Misbehaving servers, TLS and the plaintext policy: each ends in a typed error, and no
/// password goes where it must not.
@Suite struct IMAPConnectionFailureTests {
    typealias Step = ScriptedServer.Step

    static func endpoint(_ port: Int, _ security: IMAPEndpoint.Security = .none, tls: IMAPTLSOptions = IMAPTLSOptions()) -> IMAPEndpoint {
        IMAPEndpoint(host: "127.0.0.1", port: port, security: security, tls: tls)
    }

    static func kind(_ result: Result<Void, any Error>) -> IMAPClientError.Kind? {
        guard case .failure(let error) = result, let client = error as? IMAPClientError else { return nil }
        return client.kind
    }

    static func login(_ port: Int, _ security: IMAPEndpoint.Security = .none, tls: IMAPTLSOptions = IMAPTLSOptions(),
                      configuration: IMAPClientConfiguration = IMAPClientConfiguration()) async throws {
        try await IMAPConnection.withConnection(to: endpoint(port, security, tls: tls), configuration: configuration, logger: testLogger) { connection in
            try await connection.authenticate(.login(username: "u", password: Secret("secret-password")))
        }
    }

    @Test func byeDuringLoginIsServerClosed() async throws {
        let steps = [Step("", "* OK [CAPABILITY IMAP4rev1] hi\r\n"), Step("A1 LOGIN u secret-password\r\n", "* BYE shutting down\r\n")]
        let (_, client) = try await ScriptedServer.run(steps) { port in try await IMAPConnectionFailureTests.login(port) }
        guard case .serverClosed(let text)? = IMAPConnectionFailureTests.kind(client) else {
            Issue.record("expected serverClosed, got \(client)")
            return
        }
        #expect(text.text == "shutting down")
    }

    @Test func loginRejectedIsLoginRefusedWithoutThePassword() async throws {
        let steps = [Step("", "* OK [CAPABILITY IMAP4rev1] hi\r\n"), Step("A1 LOGIN u secret-password\r\n", "A1 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n")]
        let (_, client) = try await ScriptedServer.run(steps) { port in try await IMAPConnectionFailureTests.login(port) }
        guard case .failure(let error) = client, case .loginRefused? = (error as? IMAPClientError)?.kind else {
            Issue.record("expected a refused login, got \(client)")
            return
        }
        #expect((error as? IMAPClientError)?.responseCode == .authenticationFailed)
        #expect(!"\(error)".contains("secret-password"))
        #expect("\(error)".contains("LOGIN"))
    }

    @Test func loginDisabledIsLoginUnavailableBeforeAnyPassword() async throws {
        let steps = [Step("", "* OK [CAPABILITY IMAP4rev1 LOGINDISABLED] hi\r\n")]
        // Plaintext allowed outright: the server closes after its greeting, and a closed
        // channel has no peer address to be found loopback by.
        let (server, client) = try await ScriptedServer.run(steps) { port in
            let endpoint = IMAPEndpoint(host: "127.0.0.1", port: port, security: .none, allowPlaintextAuthentication: true)
            try await IMAPConnection.withConnection(to: endpoint, configuration: IMAPClientConfiguration(), logger: testLogger) { connection in
                try await connection.authenticate(.login(username: "u", password: Secret("secret-password")))
            }
        }
        #expect(server == nil)
        guard case .loginUnavailable(let what)? = IMAPConnectionFailureTests.kind(client) else {
            Issue.record("expected loginUnavailable, got \(client)")
            return
        }
        #expect(what == "LOGIN (LOGINDISABLED)")
    }

    @Test func silentServerTimesOut() async throws {
        // The server reads LOGIN and then says nothing (it waits for a command never sent).
        let steps = [Step("", "* OK [CAPABILITY IMAP4rev1] hi\r\n"), Step("A1 LOGIN u secret-password\r\n", ""), Step("never", "")]
        let configuration = IMAPClientConfiguration(responseTimeout: .milliseconds(300))
        let (_, client) = try await ScriptedServer.run(steps, timeout: .seconds(10)) { port in
            try await IMAPConnectionFailureTests.login(port, configuration: configuration)
        }
        guard case .timeout? = IMAPConnectionFailureTests.kind(client) else {
            Issue.record("expected timeout, got \(client)")
            return
        }
    }

    @Test func garbageIsAnInvalidResponse() async throws {
        let steps = [Step("", "* OK [CAPABILITY IMAP4rev1] hi\r\n"), Step("A1 LOGIN u secret-password\r\n", "\u{1}\u{2} nonsense\r\n")]
        let (_, client) = try await ScriptedServer.run(steps) { port in try await IMAPConnectionFailureTests.login(port) }
        guard case .invalidResponse? = IMAPConnectionFailureTests.kind(client) else {
            Issue.record("expected invalidResponse, got \(client)")
            return
        }
    }

    @Test func completionForAnUnknownTagIsAProtocolViolation() async throws {
        let steps = [Step("", "* OK [CAPABILITY IMAP4rev1] hi\r\n"), Step("A1 LOGIN u secret-password\r\n", "Z9 OK what\r\n")]
        let (_, client) = try await ScriptedServer.run(steps) { port in try await IMAPConnectionFailureTests.login(port) }
        guard case .protocolViolation? = IMAPConnectionFailureTests.kind(client) else {
            Issue.record("expected protocolViolation, got \(client)")
            return
        }
    }

    @Test func greetingByeAndNonIMAPServers() async throws {
        let (_, bye) = try await ScriptedServer.run([Step("", "* BYE too many connections\r\n")]) { port in try await IMAPConnectionFailureTests.login(port) }
        guard case .serverClosed? = IMAPConnectionFailureTests.kind(bye) else {
            Issue.record("expected serverClosed, got \(bye)")
            return
        }
        let (_, http) = try await ScriptedServer.run([Step("", "HTTP/1.1 400 Bad Request\r\n\r\n")]) { port in try await IMAPConnectionFailureTests.login(port) }
        guard case .invalidResponse? = IMAPConnectionFailureTests.kind(http) else {
            Issue.record("expected invalidResponse, got \(http)")
            return
        }
    }

    @Test func refusesToConnectWhereNothingListens() async throws {
        // Bind and close to get a port that refuses.
        let (_, result) = try await ScriptedServer.run([Step("", "* OK hi\r\n")], timeout: .milliseconds(200)) { port in port }
        let port = try result.get()
        await #expect(throws: IMAPClientError.self) { try await IMAPConnectionFailureTests.login(port) }
    }

    @Test func startTLSThatIsNotOfferedFailsBeforeAnyPassword() async throws {
        let steps = [Step("", "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi\r\n")]
        let (server, client) = try await ScriptedServer.run(steps) { port in try await IMAPConnectionFailureTests.login(port, .startTLS) }
        #expect(server == nil)
        guard case .unsupported(let what)? = IMAPConnectionFailureTests.kind(client) else {
            Issue.record("expected unsupported, got \(client)")
            return
        }
        #expect(what == "STARTTLS")
    }

    @Test func startTLSUpgradesAndVerifiesTheCertificate() async throws {
        let steps = [
            Step("", "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] hi\r\n"),
            Step("A1 STARTTLS\r\n", "A1 OK Begin TLS negotiation now.\r\n", startTLS: true),
            Step("A2 CAPABILITY\r\n", "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nA2 OK done\r\n"),
            Step("A3 LOGIN u secret-password\r\n", "A3 OK [CAPABILITY IMAP4rev1 UIDPLUS] in\r\n"),
            Step("A4 LOGOUT\r\n", "* BYE bye\r\nA4 OK bye\r\n"),
        ]
        let (server, client) = try await ScriptedServer.run(steps) { port in
            try await IMAPConnectionFailureTests.login(port, .startTLS, tls: IMAPTLSOptions(caFile: TestTLS.caFile))
        }
        #expect(server == nil, "\(String(describing: server))")
        #expect((try? client.get()) != nil, "\(client)")
    }

    @Test func plaintextAfterTheSTARTTLSResponseIsRefused() async throws {
        // Injected plaintext after the OK (CVE-2011-0411 style) must not be read as a response.
        let steps = [
            Step("", "* OK [CAPABILITY IMAP4rev1 STARTTLS] hi\r\n"),
            Step("A1 STARTTLS\r\n", "A1 OK Begin TLS negotiation now.\r\n* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] injected\r\n", startTLS: true),
        ]
        let (_, client) = try await ScriptedServer.run(steps, timeout: .seconds(10)) { port in
            try await IMAPConnectionFailureTests.login(port, .startTLS, tls: IMAPTLSOptions(caFile: TestTLS.caFile))
        }
        guard case .protocolViolation? = IMAPConnectionFailureTests.kind(client) else {
            Issue.record("expected protocolViolation, got \(client)")
            return
        }
    }

    @Test func implicitTLSVerifiesAndInsecureSkipsVerification() async throws {
        let steps = [
            Step("", "* OK [CAPABILITY IMAP4rev1] hi\r\n"),
            Step("A1 LOGIN u secret-password\r\n", "A1 OK [CAPABILITY IMAP4rev1] in\r\n"),
            Step("A2 LOGOUT\r\n", "* BYE bye\r\nA2 OK bye\r\n"),
        ]
        let (_, trusted) = try await ScriptedServer.run(steps, implicitTLS: true) { port in
            try await IMAPConnectionFailureTests.login(port, .implicitTLS, tls: IMAPTLSOptions(caFile: TestTLS.caFile))
        }
        #expect((try? trusted.get()) != nil, "\(trusted)")
        let (_, untrusted) = try await ScriptedServer.run(steps, timeout: .seconds(10), implicitTLS: true) { port in
            try await IMAPConnectionFailureTests.login(port, .implicitTLS)
        }
        guard case .tls? = IMAPConnectionFailureTests.kind(untrusted) else {
            Issue.record("expected a TLS verification failure, got \(untrusted)")
            return
        }
        let (_, insecure) = try await ScriptedServer.run(steps, implicitTLS: true) { port in
            try await IMAPConnectionFailureTests.login(port, .implicitTLS, tls: IMAPTLSOptions(insecure: true))
        }
        #expect((try? insecure.get()) != nil, "\(insecure)")
    }

    @Test func plaintextPasswordsGoOnlyToLoopback() throws {
        #expect(IMAPConnection.isLoopback(try SocketAddress(ipAddress: "127.0.0.1", port: 143)))
        #expect(IMAPConnection.isLoopback(try SocketAddress(ipAddress: "127.9.9.9", port: 143)))
        #expect(IMAPConnection.isLoopback(try SocketAddress(ipAddress: "::1", port: 143)))
        #expect(!IMAPConnection.isLoopback(try SocketAddress(ipAddress: "10.0.0.1", port: 143)))
        #expect(!IMAPConnection.isLoopback(try SocketAddress(ipAddress: "192.168.1.2", port: 143)))
        #expect(!IMAPConnection.isLoopback(try SocketAddress(ipAddress: "2001:db8::1", port: 143)))
        #expect(IMAPClientError(.plaintextNotAllowed).description.contains("--allow-plaintext"))
    }
}

extension IMAPConnectionFailureTests {
    @Test func commandsAfterAnUnsolicitedByeFailInsteadOfTrapping() async throws {
        let steps = [
            Step("", "* OK [CAPABILITY IMAP4rev1] hi\r\n"),
            Step("A1 NOOP\r\n", "* BYE Server shutting down\r\nA1 OK NOOP done\r\n"),
        ]
        let (_, client) = try await ScriptedServer.run(steps) { port in
            try await IMAPConnection.withConnection(to: IMAPConnectionFailureTests.endpoint(port), logger: testLogger) { connection in
                try await connection.noop()
                try await connection.noop()
            }
        }
        guard case .serverClosed(let text)? = IMAPConnectionFailureTests.kind(client) else {
            Issue.record("expected serverClosed, got \(client)")
            return
        }
        #expect(text.text == "Server shutting down")
    }
}

extension IMAPConnectionFailureTests {
    @Test func hostileAppendUIDIsIgnoredNotMaterialised() async throws {
        let steps = [
            Step("", "* OK [CAPABILITY IMAP4rev1 LITERAL+ UIDPLUS] hi\r\n"),
            Step("A1 APPEND INBOX {1+}\r\nx\r\n", "A1 OK [APPENDUID 7 1:4294967294] stored\r\n"),
            Step("A2 LOGOUT\r\n", "* BYE bye\r\nA2 OK bye\r\n"),
        ]
        let (server, client) = try await ScriptedServer.run(steps) { port in
            try await IMAPConnection.withConnection(to: IMAPConnectionFailureTests.endpoint(port), logger: testLogger) { connection in
                try await connection.append(AppendMessage(body: .bytes(ByteBuffer(string: "x"))), to: .inbox)
            }
        }
        #expect(server == nil)
        #expect(try client.get() == AppendResult(uidValidity: nil, uids: []))
    }
}
