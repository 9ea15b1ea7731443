import Forward
import Foundation
import MailTestSupport
import Testing

/// The forwarder in front of a real Postfix smtpd with `smtpd_upstream_proxy_protocol =
/// haproxy`, the new server's forwarded submission service.
@Suite("Forwarder and Postfix", .tags(.integration), .requiresTestbed, .enabled(if: PrivateSubmissionPostfix.canRun), .serialized)
struct ForwardPostfixTests {
    /// Plain and STARTTLS (certificate verified by Python's smtplib) sessions through the
    /// forwarder; Postfix logs the clients' addresses, never the forwarder's.
    @Test func submissionThroughTheForwarderShowsTheClientsAddress() async throws {
        let testbed = try Testbed.require()
        try await PrivateSubmissionPostfix.with(tlsDirectory: (testbed.caFile as NSString).deletingLastPathComponent) { postfix in
            let forwarder = try await Forwarder.start(
                ForwardConfiguration(listeners: [
                    .init(name: "submission", listen: .init(host: "127.0.0.1", port: 0), upstream: .init(host: "127.0.0.1", port: postfix.port))
                ]))
            let greeting: String
            let starttls: String
            do {
                let client = try await TestClient(port: forwarder.listeners[0].port, source: "127.0.0.2")
                greeting = try await client.readLine()
                try await client.sendText("EHLO client.test\r\nQUIT\r\n")
                _ = try await client.receiveUntilClosed()
                starttls = try await PythonMailClient.session(
                    port: forwarder.listeners[0].port, tls: "smtp-starttls", user: "", password: "", caFile: testbed.caFile, from: "127.0.0.3")
            } catch {
                await forwarder.stop(grace: .zero)
                throw error
            }
            await forwarder.stop(grace: .zero)
            #expect(greeting.hasPrefix("220 submission.new.test ESMTP"))
            #expect(starttls.hasPrefix("smtp-starttls OK TLSv1."))
            let tls = try await DirectoryWatch.until("the TLS session in \(postfix.logFile)", in: postfix.root) { () -> [String]? in
                let lines = postfix.log().filter { $0.contains("TLS connection established from") }
                return lines.isEmpty ? nil : lines
            }
            #expect(tls.contains { $0.contains("from unknown[127.0.0.3]") }, "\(tls)")
            let connects = try await DirectoryWatch.until("the connection in \(postfix.logFile)", in: postfix.root) { () -> [String]? in
                let lines = postfix.log().filter { $0.contains("connect from") }
                return lines.isEmpty ? nil : lines
            }
            #expect(connects.contains { $0.contains("connect from unknown[127.0.0.2]") }, "\(connects)")
            #expect(!connects.contains { $0.contains("[127.0.0.1]") }, "Postfix saw the forwarder's address: \(connects)")
        }
    }

    @Test func aDirectConnectionWithoutPROXYGetsNoGreeting() async throws {
        let testbed = try Testbed.require()
        try await PrivateSubmissionPostfix.with(tlsDirectory: (testbed.caFile as NSString).deletingLastPathComponent) { postfix in
            let client = try await TestClient(port: postfix.port, source: "127.0.0.2")
            try await client.sendText("EHLO direct.test\r\n")
            let answer = try await client.receiveUntilClosed()
            #expect(!String(decoding: answer, as: UTF8.self).contains("220"))
        }
    }
}
