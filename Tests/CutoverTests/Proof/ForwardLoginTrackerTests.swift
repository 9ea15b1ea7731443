import Cutover
import Testing

/// The drain's reading of the new server's log for logins through the forwarder: Dovecot's
/// `Login:` lines in its own `log_path` shape (the testbed's `dovecot.log`) and in syslog's,
/// told apart by `lip=`, the forwarded submission services, and what must count because it
/// cannot be placed.
@Suite struct ForwardLoginTrackerTests {
    typealias L = ProofLogBuilder
    static let old = "192.0.2.10"

    static func scan(_ lines: [String]) -> MailLogScan {
        var scanner = MailLogScanner(name: "new", clock: L.clock)
        scanner.keepsLogins = true
        scanner.feed(Array(lines.map { $0 + "\n" }.joined().utf8))
        return scanner.finish()
    }

    static func login(_ second: Int, user: String, rip: String, lip: String = old, service: String = "imap") -> String {
        "\(L.time(second)) \(service)-login: Info: Login: user=<\(user)>, method=PLAIN, rip=\(rip), lip=\(lip), mpid=4242, TLS, session=<km0hV/VhGuh/AAAB>"
    }

    @Test(arguments: [
        (login(0, user: "alice", rip: "198.51.100.23"), MailLogEvent.login(service: "imap", user: "alice", remote: "198.51.100.23", local: old)),
        ("Dec 06 12:00:00 mx.new dovecot: pop3-login: Login: user=<bob@example.com>, method=PLAIN, rip=2001:db8::7, lip=2001:db8::10, mpid=7, TLS, session=<x>",
         .login(service: "pop3", user: "bob@example.com", remote: "2001:db8::7", local: "2001:db8::10")),
        ("2026-12-06T12:00:00.123456+00:00 mx.new dovecot[812]: imap-login: Login: user=<c, d>, method=PLAIN, rip=198.51.100.9, mpid=7, session=<x>",
         .login(service: "imap", user: "c, d", remote: "198.51.100.9", local: nil)),
        // Not logins: a disconnect before auth, a login line without rip=, another service.
        ("Dec 06 11:23:35 imap-login: Info: Disconnected: Connection closed (disconnected before auth was ready, waited 0 secs): user=<>, rip=127.0.0.1, lip=127.0.0.1, secured, session=<E>",
         .other),
        ("Dec 06 11:23:35 imap-login: Info: Login: user=<alice>, method=PLAIN", .other),
        ("Dec 06 11:23:35 imap(alice)<1><s>: Info: Logged out in=10 out=20", .other),
    ])
    func loginLines(line: String, expected: MailLogEvent) {
        #expect(MailLogLineParser(clock: L.clock).parse(Array(line.utf8)[...], line: 1)?.event == expected)
    }

    /// The proof's scans never keep login lines: a busy server writes thousands a day.
    @Test func theProofsScannerDropsLogins() {
        let scan = MailLogScan.scan(name: "new", lines: [Self.login(0, user: "alice", rip: "198.51.100.23")], clock: L.clock)
        #expect(scan.records.isEmpty && scan.malformed == 0)
    }

    @Test func onlyLoginsWhoseLocalAddressIsTheOldHostsCountFromSince() {
        let lines = [
            Self.login(5, user: "early", rip: "198.51.100.1"),                    // before the forwarder started
            Self.login(20, user: "alice", rip: "198.51.100.23"),
            Self.login(30, user: "direct", rip: "198.51.100.2", lip: "192.0.2.20"),  // straight to the new host
            Self.login(40, user: "bob", rip: "198.51.100.24", service: "pop3"),
            Self.login(50, user: "alice", rip: "198.51.100.25", lip: "::ffff:192.0.2.10"),
        ]
        var tracker = ForwardLoginTracker(forwardedAddresses: [Self.old], since: L.instant(10))
        tracker.take(Self.scan(lines).records)
        #expect(tracker.count == 3)
        #expect(tracker.last == .init(time: L.instant(50), service: "imap", user: "alice", remote: "198.51.100.25"))
        #expect(tracker.users.map(\.user) == ["alice", "bob"])
        #expect(tracker.users.map(\.remote) == ["198.51.100.25", "198.51.100.24"])
    }

    @Test func aForwardedSubmissionAMissingLipAndAGapCount() {
        let lines = [
            "\(L.time(20)) mx.new postfix/submission-forwarded/smtpd[9]: 4ABC12345: client=phone.example[198.51.100.30], sasl_method=PLAIN, sasl_username=carol",
            "\(L.time(21)) mx.new postfix/submission/smtpd[9]: 4ABC12346: client=laptop.example[198.51.100.31], sasl_method=PLAIN, sasl_username=dan",
            "\(L.time(30)) mx.new dovecot: imap-login: Login: user=<erin>, method=PLAIN, rip=198.51.100.32, mpid=1, session=<x>",
        ]
        var tracker = ForwardLoginTracker(forwardedAddresses: [Self.old], since: L.instant(10))
        tracker.take(Self.scan(lines).records)
        #expect(tracker.count == 2)
        #expect(tracker.users.map(\.service) == ["imap, no lip= in the line", "submission"])
        #expect(tracker.users.last?.remote == "phone.example[198.51.100.30]")

        tracker.take(gaps: [LogGap(log: "new", line: 4, time: L.instant(40), reason: "the logging system dropped lines")], now: L.instant(99))
        #expect(tracker.last?.time == L.instant(40) && tracker.last?.service == "a gap in the log")
        // A log that is missing has no time: it counts now.
        tracker.take(gaps: [LogGap(log: "new", line: nil, time: nil, reason: "new:/var/log/mail.log does not exist")], now: L.instant(99))
        #expect(tracker.last?.time == L.instant(99) && tracker.count == 4)
    }
}
