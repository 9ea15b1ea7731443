import Cutover
import Forward
import Foundation
import MailTestSupport
import Testing

/// Through the forwarder, Dovecot tells clients apart by the PROXY header's address, so its
/// auth penalty (each failed login from an address delays that address's next ones: 2 s, 4 s,
/// 8 s, up to 15 s) falls on the client with the bad password only.
@Suite("Forwarder, Dovecot and the auth penalty", .tags(.integration), .requiresTestbed, .enabled(if: PrivateDovecot.canRun))
struct ForwardAuthPenaltyTests {
    /// Logs in once per password, each on a new connection (as a phone retrying would), from
    /// `source`, and prints `ok SECONDS`, `no SECONDS` or `timeout SECONDS` for each: the time
    /// of the LOGIN command alone. Passwords travel in the environment.
    static let script = """
        import imaplib, os, socket, sys, time
        port, source, timeout = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
        class Client(imaplib.IMAP4):
            def _create_socket(self, t=None):
                return socket.create_connection(("127.0.0.1", port), 30, source_address=(source, 0))
        for password in os.environ["MAILFERRY_TEST_PASSWORDS"].split("\\n"):
            client = Client("127.0.0.1", port)
            client.sock.settimeout(timeout)
            start = time.monotonic()
            try:
                client.login(os.environ["MAILFERRY_TEST_USER"], password)
                print("ok %.3f" % (time.monotonic() - start), flush=True)
                client.logout()
            except imaplib.IMAP4.error:
                print("no %.3f" % (time.monotonic() - start), flush=True)
            except (socket.timeout, TimeoutError):
                print("timeout %.3f" % (time.monotonic() - start), flush=True)
            client.sock.close()
        """

    static func logins(port: Int, from source: String, passwords: [String], timeout: Double = 30) async throws -> [(String, Double)] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script, "\(port)", source, "\(timeout)"]
        process.environment = ["MAILFERRY_TEST_PASSWORDS": passwords.joined(separator: "\n"), "MAILFERRY_TEST_USER": PrivateDovecot.user,
                               "PATH": "/usr/bin:/bin"]
        let (status, text, problem) = try await process.runCollectingOutput()
        guard status == 0 else { throw TestClient.Failure(description: "python logins failed: \(problem)") }
        return text.split(separator: "\n").map { line in
            let fields = line.split(separator: " ")
            return (String(fields[0]), Double(fields[1]) ?? -1)
        }
    }

    /// 127.0.0.2 fails twice (with two different passwords: Dovecot does not raise the
    /// penalty for the same wrong password again); its next attempt is then held back by
    /// the penalty (4 s), while 127.0.0.3 logs in at once. `auth_failure_delay = 0` leaves
    /// the penalty as the only delay, so the contrast is the penalty itself.
    @Test func oneAddressFailingDoesNotLockOutAnother() async throws {
        let testbed = try Testbed.require()
        try await PrivateDovecot.with(testbed: testbed, settings: "auth_failure_delay = 0") { dovecot in
            let forwarder = try await Forwarder.start(ForwardConfiguration(listeners: [
                .init(name: "imap", listen: .init(host: "127.0.0.1", port: 0), upstream: .init(host: "127.0.0.1", port: dovecot.imapPort)),
            ]))
            do {
                let port = forwarder.listeners[0].port
                let failing = try await Self.logins(port: port, from: "127.0.0.2", passwords: ["wrong-1-\(UUID())", "wrong-2-\(UUID())"])
                #expect(failing.map(\.0) == ["no", "no"], "\(failing)")
                let other = try await Self.logins(port: port, from: "127.0.0.3", passwords: [dovecot.password])
                // A shared address would hold this login back the full 4 s as well.
                #expect(other.map(\.0) == ["ok"], "\(other)")
                #expect(other[0].1 < 3.0, "127.0.0.3 was held back \(other[0].1) s: \(other)")
                // The failing address is held back: its next attempt gets no answer within 3 s.
                let penalised = try await Self.logins(port: port, from: "127.0.0.2", passwords: ["wrong-3-\(UUID())"], timeout: 3)
                #expect(penalised.map(\.0) == ["timeout"], "\(penalised)")
            } catch {
                await forwarder.stop(grace: .zero)
                throw error
            }
            await forwarder.stop(grace: .zero)
            let failures = dovecot.log().filter { $0.contains("rip=127.0.0.2") && $0.contains("auth failed") }
            #expect(failures.count >= 2, "\(dovecot.log().suffix(10))")
            #expect(!dovecot.log().contains { $0.contains("rip=127.0.0.1,") }, "Dovecot saw the forwarder's address")
        }
    }
}
