import Foundation
import MailTestSupport

/// Python's imaplib, poplib and smtplib as real, independent mail clients: they connect from a chosen
/// loopback address (so Dovecot's log can tell the client from the forwarder), with STARTTLS
/// (STLS) or implicit TLS, verifying the certificate against the testbed's CA, log in and
/// look at the mailbox (IMAP SELECT INBOX, POP3 STAT). The password travels in the
/// environment, not in argv.
enum PythonMailClient {
    static let script = """
        import imaplib, os, poplib, socket, ssl, sys
        host, port, mode, user, ca, source = sys.argv[1:7]
        context = ssl.create_default_context(cafile=ca)
        password = os.environ.get("MAILFERRY_TEST_PASSWORD", "")
        def connect(self, timeout):
            return socket.create_connection((self.host, self.port), timeout or 30, source_address=(source, 0))
        if mode == "smtp-starttls":
            import smtplib
            client = smtplib.SMTP(host, int(port), timeout=30, source_address=(source, 0))
            client.ehlo("client.test")
            client.starttls(context=context)
            code, _ = client.ehlo("client.test")
            print(mode, "OK" if code == 250 else code, client.sock.version())
            client.quit()
            sys.exit(0)
        if mode == "pop3-stls":
            class POP3(poplib.POP3):
                def _create_socket(self, timeout):
                    return connect(self, timeout)
            client = POP3(host, int(port), timeout=30)
            client.stls(context=context)
            client.user(user)
            client.pass_(password)
            count, size = client.stat()
            print(mode, "OK", client.sock.version(), count)
            client.quit()
            sys.exit(0)
        class Plain(imaplib.IMAP4):
            def _create_socket(self, timeout=None):
                return connect(self, timeout)
        class Implicit(imaplib.IMAP4_SSL):
            def _create_socket(self, timeout=None):
                return self.ssl_context.wrap_socket(connect(self, timeout), server_hostname=self.host)
        if mode == "starttls":
            client = Plain(host, int(port), timeout=30)
            client.starttls(ssl_context=context)
        else:
            client = Implicit(host, int(port), ssl_context=context, timeout=30)
        client.login(user, password)
        status, data = client.select("INBOX")
        print(mode, status, client.sock.version(), data[0].decode())
        client.logout()
        """

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs one session (`tls`: `starttls` or `implicit` for IMAP, `pop3-stls` for POP3,
    /// `smtp-starttls` for submission up to EHLO after STARTTLS);
    /// returns its output line (`starttls OK TLSv1.3 0`).
    static func session(port: Int, tls: String, user: String, password: String, caFile: String, from source: String) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script, "127.0.0.1", "\(port)", tls, user, caFile, source]
        process.environment = ["MAILFERRY_TEST_PASSWORD": password, "PATH": "/usr/bin:/bin"]
        let (status, text, problem) = try await process.runCollectingOutput()
        guard status == 0 else { throw Failure(description: "python \(tls) session failed: \(problem)") }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
