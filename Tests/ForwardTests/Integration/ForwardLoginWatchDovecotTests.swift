import Cutover
import Forward
import Foundation
import MailTestSupport
import Testing

/// The drain's decommission evidence end to end: a real forwarder in front of a real Dovecot
/// PROXY listener, a client logging in through it, and the new server's log read as the
/// cutover reads it (``HostLogFollower`` on a ``LocalHost``, ``ForwardLoginTracker``).
@Suite("Forwarder logins in Dovecot's log", .tags(.integration), .requiresTestbed, .enabled(if: PrivateDovecot.canRun))
struct ForwardLoginWatchDovecotTests {
    @Test func aLoginThroughTheForwarderIsFoundWithItsUserAndClientAddress() async throws {
        let testbed = try Testbed.require()
        try await PrivateDovecot.with(testbed: testbed) { dovecot in
            // Whole seconds: Dovecot's log has no fractions.
            let since = LogInstant(seconds: Int64(Date().timeIntervalSince1970.rounded(.down)))
            let forwarder = try await Forwarder.start(ForwardConfiguration(listeners: [
                .init(name: "imap", listen: .init(host: "127.0.0.1", port: 0), upstream: .init(host: "127.0.0.1", port: dovecot.imapPort)),
            ]))
            do {
                let session = try await PythonMailClient.session(
                    port: forwarder.listeners[0].port, tls: "starttls", user: PrivateDovecot.user, password: dovecot.password,
                    caFile: testbed.caFile, from: "127.0.0.2")
                #expect(session.hasPrefix("starttls OK"))
            } catch {
                await forwarder.stop(grace: .zero)
                throw error
            }
            await forwarder.stop(grace: .zero)
            let logDirectory = (dovecot.logFile as NSString).deletingLastPathComponent
            _ = try await DirectoryWatch.until("a login in \(dovecot.logFile)", in: logDirectory, timeout: .seconds(10)) {
                dovecot.log().contains { $0.contains("Login: user=<\(PrivateDovecot.user)>") } ? true : nil
            }

            var follower = HostLogFollower(host: LocalHost(name: "new"), path: dovecot.logFile, name: "dovecot",
                                           utcOffsetSeconds: Int64(TimeZone.current.secondsFromGMT()), keepsLogins: true)
            let now = LogInstant(seconds: Int64(Date().timeIntervalSince1970))
            let read = try await follower.readNew(now: now)
            #expect(read.gaps.isEmpty, "\(read.gaps)")
            // The forwarder listened on 127.0.0.1: that is the lip= of a login through it.
            var through = ForwardLoginTracker(forwardedAddresses: ["127.0.0.1"], since: since)
            through.take(read.records)
            #expect(through.count == 1, "\(dovecot.log())")
            #expect(through.last?.user == PrivateDovecot.user && through.last?.remote == "127.0.0.2" && through.last?.service == "imap",
                    "\(String(describing: through.last))")
            // Another old-host address sees none of it.
            var elsewhere = ForwardLoginTracker(forwardedAddresses: ["127.0.0.9"], since: since)
            elsewhere.take(read.records)
            #expect(elsewhere.count == 0)
            // A second read hands over only what was appended since.
            #expect(try await follower.readNew(now: now).records.isEmpty)
        }
    }
}
