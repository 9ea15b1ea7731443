import Foundation
import MailSpool
import Relay
import Testing

/// Issue 13.1: the new server's notification about a copy it accepted becomes a record.
@Suite struct LateFailureTests {
    static let tag = MirrorTag(key: Array(repeating: 3, count: 32))
    static let id = QueueID("066160ACCB65B7-E01438F7")!

    /// What the testbed's new Postfix sent for a copy over quota at LMTP (captured on
    /// 2026-12-06; NOTIFY=FAILURE, sender of our own), with TAG for the copy's tag.
    static let postfixNotification = """
        Received: by mx.new.test (Postfix)
        \tid AB519520896; Sun,  6 Dec 2026 11:35:50 +0000 (UTC)
        From: Mail Delivery System <MAILER-DAEMON@new.test>
        Subject: Undelivered Mail Returned to Sender
        Content-Type: multipart/report; report-type=delivery-status;
        \tboundary="966BC520893.1796556950/mx.new.test"

        --966BC520893.1796556950/mx.new.test
        Content-Type: text/plain; charset=utf-8

        <tbmirrortrace-quota@new.test>: host 127.0.0.1[127.0.0.1] said: 552 5.2.2
            <tbmirrortrace-quota@new.test> Quota exceeded (mailbox for user is full)
            (in reply to end of DATA command)

        --966BC520893.1796556950/mx.new.test
        Content-Description: Delivery report
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx.new.test
        X-Postfix-Queue-ID: 966BC520893
        Arrival-Date: Sun,  6 Dec 2026 11:35:50 +0000 (UTC)

        Final-Recipient: rfc822; tbmirrortrace-quota@new.test
        Original-Recipient: rfc822;tbmirrortrace-quota@new.test
        Action: failed
        Status: 5.2.2
        Remote-MTA: dns; 127.0.0.1
        Diagnostic-Code: smtp; 552 5.2.2 <tbmirrortrace-quota@new.test> Quota exceeded
            (mailbox for user is full)

        --966BC520893.1796556950/mx.new.test
        Content-Description: Undelivered Message Headers
        Content-Type: text/rfc822-headers

        Return-Path: <bounces@mailferry.invalid>
        X-Mailferry-Mirror: TAG
        Received: from [127.0.0.1]
        \tby mirror.test (mailferry mirror) id 066160ACCB65B7-E01438F7; Sun, 06 Dec 2026 11:00:00 +0000
        Subject: quota test

        --966BC520893.1796556950/mx.new.test--

        """.replacingOccurrences(of: "\n", with: "\r\n")

    @Test func readsPostfixsNotification() {
        let text = Self.postfixNotification.replacingOccurrences(of: "TAG", with: Self.tag.value(for: Self.id))
        let records = LateFailure.parse(Array(text.utf8), tag: Self.tag, receivedAt: 5)
        #expect(records == [LateFailure(
            receivedAt: 5, id: Self.id, recipient: "tbmirrortrace-quota@new.test", action: "failed", status: "5.2.2",
            diagnostic: "smtp; 552 5.2.2 <tbmirrortrace-quota@new.test> Quota exceeded (mailbox for user is full)")])
    }

    /// A tag that does not verify names no copy; the notification is still recorded.
    @Test func forgedTagNamesNoCopy() {
        let text = Self.postfixNotification.replacingOccurrences(of: "TAG", with: "066160ACCB65B7-E01438F7; mac=00")
        let records = LateFailure.parse(Array(text.utf8), tag: Self.tag, receivedAt: 5)
        #expect(records.count == 1 && records[0].id == nil && records[0].status == "5.2.2")
    }

    @Test func aNotificationWithoutStatusFieldsIsStillRecorded() {
        let records = LateFailure.parse(Array("Subject: your mail\r\n\r\nit did not work\r\n".utf8), tag: Self.tag, receivedAt: 5)
        #expect(records.count == 1 && records[0].action == "unknown")
    }
}
