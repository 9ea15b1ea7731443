import Cutover
import Testing

/// The line parser against lines captured from the testbed's Postfix 3.7 and Dovecot 2.3
/// logs (`.testbed/log/postfix-old.log`, `postfix-new.log`, `dovecot.log`), and the shapes
/// syslog and journald give the same lines.
struct MailLogLineParserTests {
    static let anchor = LogInstant(iso: "2026-12-06T12:00:00Z")!
    let parser = MailLogLineParser(clock: LogClock(anchor: anchor))

    func event(_ line: String) -> MailLogEvent? {
        parser.parse(Array(line.utf8)[...], line: 1)?.event
    }

    static let fixtures: [(String, MailLogEvent)] = [
        ("Dec 06 11:06:00 mx postfix-tbold/smtpd[23277]: connect from localhost[127.0.0.1]",
         .connect(client: "localhost[127.0.0.1]")),
        ("Dec 06 11:06:00 mx postfix-tbold/smtpd[23277]: 99B69520867: client=localhost[127.0.0.1]",
         .client(queueID: "99B69520867", client: "localhost[127.0.0.1]")),
        ("Dec 06 11:06:00 mx postfix-tbold/cleanup[23282]: 99B69520867: message-id=<20261206110600.99B69520867@mx.old.test>",
         .messageID(queueID: "99B69520867", messageID: "<20261206110600.99B69520867@mx.old.test>")),
        ("Dec 06 11:06:00 mx postfix-tbold/qmgr[11012]: 99B69520867: from=<probe@ext.example>, size=370, nrcpt=1 (queue active)",
         .queued(queueID: "99B69520867", sender: "probe@ext.example", size: 370, recipients: 1)),
        ("Dec 06 11:06:00 mx postfix-tbold/local[23283]: 99B69520867: to=<tbspool@old.test>, relay=local, delay=0.02, delays=0.01/0.01/0/0, dsn=2.0.0, status=sent (delivered to maildir)",
         .delivery(queueID: "99B69520867", PostfixDelivery(agent: "local", recipient: "tbspool@old.test", relay: "local", dsn: "2.0.0",
                                                           status: "sent", detail: "delivered to maildir"))),
        ("Dec 06 11:06:00 mx postfix-tbold/qmgr[11012]: 99B69520867: removed", .removed(queueID: "99B69520867", byAdmin: false)),
        ("Dec 06 11:32:12 mx postfix-tbold/smtp[3794]: 5E7D552088C: to=<tbmirrorzzhzfi@old.test.mirror.invalid>, relay=127.0.0.1[127.0.0.1]:41407, delay=0.03, delays=0.02/0.01/0/0, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 0661F575DAA13A-7D0BCFEA)",
         .delivery(queueID: "5E7D552088C", PostfixDelivery(
            agent: "smtp", recipient: "tbmirrorzzhzfi@old.test.mirror.invalid", relay: "127.0.0.1[127.0.0.1]:41407", dsn: "2.0.0",
            status: "sent", detail: "250 2.0.0 Ok: queued as 0661F575DAA13A-7D0BCFEA", nextQueueID: "0661F575DAA13A-7D0BCFEA"))),
        ("Dec 06 14:09:40 mx postfix-tbnew/lmtp[31465]: 0B51F520492: to=<tbcutproof1@new.test>, relay=127.0.0.1[127.0.0.1]:20024, delay=0.22, delays=0.02/0.02/0.04/0.14, dsn=2.0.0, status=sent (250 2.0.0 <tbcutproof1@new.test> o4LMBqRsFWvqegAAg+zDdQ:R2 Saved)",
         .delivery(queueID: "0B51F520492", PostfixDelivery(
            agent: "lmtp", recipient: "tbcutproof1@new.test", relay: "127.0.0.1[127.0.0.1]:20024", dsn: "2.0.0", status: "sent",
            detail: "250 2.0.0 <tbcutproof1@new.test> o4LMBqRsFWvqegAAg+zDdQ:R2 Saved", lmtpSession: "o4LMBqRsFWvqegAAg+zDdQ:R2"))),
        ("Dec 06 11:35:50 mx postfix-tbnew/lmtp[10305]: 966BC520893: to=<tbmirrortrace-quota@new.test>, relay=127.0.0.1[127.0.0.1]:20024, delay=0.09, delays=0.02/0.01/0.03/0.03, dsn=5.2.2, status=bounced (host 127.0.0.1[127.0.0.1] said: 552 5.2.2 <tbmirrortrace-quota@new.test> Quota exceeded (mailbox for user is full) (in reply to end of DATA command))",
         .delivery(queueID: "966BC520893", PostfixDelivery(
            agent: "lmtp", recipient: "tbmirrortrace-quota@new.test", relay: "127.0.0.1[127.0.0.1]:20024", dsn: "5.2.2", status: "bounced",
            detail: "host 127.0.0.1[127.0.0.1] said: 552 5.2.2 <tbmirrortrace-quota@new.test> Quota exceeded (mailbox for user is full) (in reply to end of DATA command)"))),
        ("Dec 06 11:35:50 mx postfix-tbnew/bounce[10318]: 966BC520893: sender non-delivery notification: AB519520896",
         .notification(queueID: "966BC520893", newQueueID: "AB519520896", kind: "sender non-delivery notification")),
        ("Dec 06 12:35:42 mx postfix-tbold/smtpd[8448]: NOQUEUE: reject: RCPT from localhost[127.0.0.1]: 550 5.1.1 <tbnobody1075567583@old.test>: Recipient address rejected: User unknown in local recipient table; from=<a@example.test> to=<tbnobody1075567583@old.test> proto=ESMTP helo=<client.test>",
         .reject(queueID: nil, stage: "RCPT", recipient: "tbnobody1075567583@old.test",
                 text: "RCPT from localhost[127.0.0.1]: 550 5.1.1 <tbnobody1075567583@old.test>: Recipient address rejected: User unknown in local recipient table; from=<a@example.test> to=<tbnobody1075567583@old.test> proto=ESMTP helo=<client.test>")),
        ("Dec 06 14:09:40 lmtp(tbcutproof1)<31466><o4LMBqRsFWvqegAAg+zDdQ:R2>: Info: msgid=<20261206140939.031431@vm>: saved mail to INBOX",
         .dovecotSaved(user: "tbcutproof1", session: "o4LMBqRsFWvqegAAg+zDdQ:R2", messageID: "<20261206140939.031431@vm>", folder: "INBOX")),
        ("Dec 06 12:35:42 mx postfix-tbold/postsuper[13336]: Deleted: 0 messages", .other),
        ("Dec 06 11:06:10 mx postfix-tbnew/lmtp[23867]: 3209D520873: breaking line > 998 bytes with <CR><LF>SPACE", .other),
        ("Dec 06 10:57:55 master: Info: Dovecot v2.3.19.1 (9b53102964) starting up for imap, pop3, lmtp (core dumps disabled)", .other),
        // The same shapes through syslog/journald, and what Postfix and Dovecot log in cases the testbed does not produce.
        ("Dec  6 14:09:40 mail dovecot: lmtp(bob)<31466><o4LMBqRsFWvqegAAg+zDdQ>: Info: sieve: msgid=<a@b>: stored mail into mailbox 'Lists/postfix'",
         .dovecotSaved(user: "bob", session: "o4LMBqRsFWvqegAAg+zDdQ", messageID: "<a@b>", folder: "Lists/postfix")),
        ("2026-12-06T14:09:40.123456+01:00 mail dovecot[77]: lmtp(bob)<31466><S1>: Error: msgid=<a@b>: save failed to INBOX: Quota exceeded (mailbox for user is full)",
         .dovecotOther(user: "bob", session: "S1", messageID: "<a@b>", action: "save failed to INBOX: Quota exceeded (mailbox for user is full)", failed: true)),
        ("Dec  6 14:09:40 mail dovecot: lmtp(31466, bob): Info: S2: msgid=<a@b>: saved mail to INBOX",
         .dovecotSaved(user: "bob", session: "S2", messageID: "<a@b>", folder: "INBOX")),
        // The cutover's hold and release on a private Postfix 3.7 (CutoverProofTestbedTests).
        ("Dec 06 14:21:50 mx postfix-mfcut/smtpd[15039]: NOQUEUE: hold: RCPT from localhost[127.0.0.1]: <tbcutproofholdxfmwm4@new.test>: Recipient address mailferry cutover hold; from=<sender@ext.test> to=<tbcutproofholdxfmwm4@new.test> proto=ESMTP helo=<client.test>",
         .hold(queueID: nil, text: "RCPT from localhost[127.0.0.1]: <tbcutproofholdxfmwm4@new.test>: Recipient address mailferry cutover hold; from=<sender@ext.test> to=<tbcutproofholdxfmwm4@new.test> proto=ESMTP helo=<client.test>")),
        ("Dec 06 14:21:50 mx postfix-mfcut/pipe[15178]: D24B517C0FE: to=<tbcutproofholdxfmwm4@new.test>, relay=mailferry-hold, delay=0.09, delays=0.03/0.04/0/0.02, dsn=4.3.0, status=deferred (temporary failure. Command output: mailferry cutover: mail for this domain is held until the mailbox move completes )",
         .delivery(queueID: "D24B517C0FE", PostfixDelivery(
            agent: "pipe", recipient: "tbcutproofholdxfmwm4@new.test", relay: "mailferry-hold", dsn: "4.3.0", status: "deferred",
            detail: "temporary failure. Command output: mailferry cutover: mail for this domain is held until the mailbox move completes "))),
        ("Dec 06 14:21:53 mx postfix-mfcut/postsuper[17270]: C1B8117C0F8: released from hold", .releasedFromHold(queueID: "C1B8117C0F8")),
        ("Dec 06 14:21:55 mx postfix/relay/smtp[17368]: C1B8117C0F8: to=<tbcutproofholdxfmwm4@new.test>, relay=127.0.0.1[127.0.0.1]:20025, delay=4.6, delays=3/0.01/1.6/0.02, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 5F9015204C7)",
         .delivery(queueID: "C1B8117C0F8", PostfixDelivery(
            agent: "smtp", recipient: "tbcutproofholdxfmwm4@new.test", relay: "127.0.0.1[127.0.0.1]:20025", dsn: "2.0.0", status: "sent",
            detail: "250 2.0.0 Ok: queued as 5F9015204C7", nextQueueID: "5F9015204C7"))),
        // A service's own syslog_name (`-o syslog_name=postfix/$service_name`) is still Postfix.
        ("Dec 06 14:21:55 mx postfix/relay[17368]: C1B8117C0F8: to=<a@new.test>, relay=mx.new.test[192.0.2.20]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 5F9015204C7)",
         .delivery(queueID: "C1B8117C0F8", PostfixDelivery(
            agent: "relay", recipient: "a@new.test", relay: "mx.new.test[192.0.2.20]:25", dsn: "2.0.0", status: "sent",
            detail: "250 2.0.0 Ok: queued as 5F9015204C7", nextQueueID: "5F9015204C7"))),
        ("Dec  6 14:09:40 mail postfix/postsuper[2]: 3C5A1520870: removed", .removed(queueID: "3C5A1520870", byAdmin: true)),
        ("Dec  6 14:09:40 mail postfix/pickup[3]: 4RfWqR0Xq1z8n1x: uid=0 from=<root>", .pickup(queueID: "4RfWqR0Xq1z8n1x", sender: "root")),
        ("Dec  6 14:09:40 mail postfix/cleanup[4]: 3C5A1520870: discard: header Subject: spam from x[192.0.2.1]; from=<s@x> to=<a@b> proto=ESMTP helo=<x>",
         .discard(queueID: "3C5A1520870", text: "header Subject: spam from x[192.0.2.1]; from=<s@x> to=<a@b> proto=ESMTP helo=<x>")),
        ("Dec  6 14:09:40 mail postfix/submission/smtpd[5]: warning: hostname x does not resolve to address 192.0.2.1", .other),
        ("Dec  6 14:09:40 mail systemd-journald[312]: Suppressed 1204 messages from postfix@-.service",
         .suppressed(text: "Suppressed 1204 messages from postfix@-.service")),
        ("Dec  6 14:09:40 mail rsyslogd: imjournal: 871 messages lost due to rate-limiting (20000 allowed within 600 seconds)",
         .suppressed(text: "imjournal: 871 messages lost due to rate-limiting (20000 allowed within 600 seconds)")),
    ]

    @Test(arguments: 0..<fixtures.count)
    func fixture(_ index: Int) {
        let (line, expected) = Self.fixtures[index]
        #expect(event(line) == expected, "\(line)")
    }

    @Test func timestampsOfEveryFormatMeetOnOneClock() throws {
        let expected = LogInstant(iso: "2026-12-06T09:05:07Z")!
        for line in ["Dec 06 09:05:07 mx postfix/qmgr[1]: ABCDEF12345: removed",
                     "Dec  6 09:05:07 mx postfix/qmgr[1]: ABCDEF12345: removed",
                     "2026-12-06T10:05:07+01:00 mx postfix/qmgr[1]: ABCDEF12345: removed",
                     "2026-12-06T09:05:07Z mx postfix/qmgr[1]: ABCDEF12345: removed"] {
            #expect(parser.parse(Array(line.utf8)[...], line: 1)?.time == expected, "\(line)")
        }
        let fraction = try #require(parser.parse(Array("Dec  6 09:05:07.250 mx postfix/qmgr[1]: ABCDEF12345: removed".utf8)[...], line: 1))
        #expect(fraction.time.microseconds == expected.microseconds + 250_000)
        // A host east of UTC: its local 10:05 is 09:05 UTC.
        let east = MailLogLineParser(clock: LogClock(anchor: Self.anchor, utcOffsetSeconds: 3600))
        #expect(east.parse(Array("Dec  6 10:05:07 mx postfix/qmgr[1]: ABCDEF12345: removed".utf8)[...], line: 1)?.time == expected)
    }

    @Test func theYearIsTheOneNearestTheWindow() {
        let january = MailLogLineParser(clock: LogClock(anchor: LogInstant(iso: "2027-01-01T00:10:00Z")!))
        let record = january.parse(Array("Dec 31 23:59:59 mx postfix/qmgr[1]: ABCDEF12345: removed".utf8)[...], line: 1)
        #expect(record?.time == LogInstant(iso: "2026-12-31T23:59:59Z"))
    }

    @Test func malformedLinesAreNilAndNeverTrap() {
        for line in ["", "garbage", "Dec 06", "Dec 32 10:00:00 mx postfix/qmgr[1]: X: removed", "Dec 06 25:00:00 mx a: b",
                     "Dec 06 10:00:00 mx", "2026-13-01T00:00:00Z mx a: b",
                     "Dec 06 10:00:00 mx postfix/smtp[1]: ABCDEF12345: to=<a@b>, status=sent"] {
            #expect(parser.parse(Array(line.utf8)[...], line: 1) == nil, "\(line)")
        }
    }

    @Test func invalidUTF8InAnAddressKeepsTheLine() throws {
        var bytes = Array("Dec 06 11:06:00 mx postfix/local[1]: ABCDEF12345: to=<j".utf8)
        bytes += [0xFF, 0xC3]
        bytes += Array("rg@old.test>, relay=local, delay=0, delays=0/0/0/0, dsn=2.0.0, status=sent (delivered to maildir)".utf8)
        guard case .delivery(let id, let delivery)? = parser.parse(bytes[...], line: 1)?.event else {
            Issue.record("not a delivery")
            return
        }
        #expect(id == "ABCDEF12345")
        #expect(delivery.recipient == "j\u{FFFD}\u{FFFD}rg@old.test")
        #expect(delivery.status == "sent")
    }
}
