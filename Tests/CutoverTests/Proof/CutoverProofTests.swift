import Cutover
import Testing

/// The proof over logs written in the servers' own shapes: each trap of issue 16 as a
/// scenario (queue ids reused, Message-IDs repeated or missing, one id for many recipients,
/// gaps), and each outcome.
struct CutoverProofTests {
    typealias L = ProofLogBuilder

    @Test func aRelayedMessageIsChainedToItsFolderForEachRecipient() {
        var logs = L()
        logs.chain(at: 10, oldQID: "A1B2C3D4E5", newQID: "F0E1D2C3B4", users: ["alice", "bob"])
        let report = logs.prove()
        #expect(report.verdict == .proven, "\(report.reasons)")
        #expect(report.counts.accepted == 1)
        #expect(report.counts.recipients == 2)
        #expect(report.counts.deliveredNew == 2)
        #expect(report.entries.map(\.outcome.folders) == [["INBOX"], ["INBOX"]])
        #expect(report.entries[1].hops.contains { $0.contains(":R2") && $0.hasPrefix("dovecot") })
        #expect(report.timeline.map(\.name) == ["hold"])
    }

    @Test func aReusedShortQueueIDIsChainedByTime() {
        var logs = L()
        // The new server used F0E1D2C3B4 half an hour earlier for another message to alice.
        logs.new += L.accept(0, "mx.new", "F0E1D2C3B4", messageID: "<other@x>", recipients: 1)
        logs.new.append(L.lmtp(1, "F0E1D2C3B4", to: "alice@example.com", session: "earlierAAAAAAAAAAAAAAA"))
        logs.new.append(L.removed(1, "mx.new", "F0E1D2C3B4"))
        logs.dovecot.append(L.saved(1, user: "alice", session: "earlierAAAAAAAAAAAAAAA", messageID: "<other@x>"))
        logs.chain(at: 1800, oldQID: "A1B2C3D4E5", newQID: "F0E1D2C3B4", users: ["alice"])
        let report = logs.prove()
        #expect(report.verdict == .proven, "\(report.reasons)")
        #expect(report.entries.count == 1)
        #expect(report.entries[0].hops.contains { $0.contains("new F0E1D2C3B4 received 2026-12-06T12:30:01Z") })

        // With only the earlier use in the log (the later lines lost), the id alone would
        // "prove" it delivered by the other message's lines; chained by time it is unaccounted.
        var alone = L()
        alone.old += L.accept(1800, "mx.old", "A1B2C3D4E5", messageID: "<m1@ext.example>", recipients: 1)
        alone.old.append(L.relayed(1801, "mx.old", "A1B2C3D4E5", to: "alice@example.com", next: "F0E1D2C3B4"))
        alone.old.append(L.removed(1801, "mx.old", "A1B2C3D4E5"))
        alone.new = logs.new.prefix(5).map { $0 }
        alone.dovecot = [logs.dovecot[0]]
        let lost = alone.prove()
        #expect(lost.verdict == .failed)
        #expect(lost.counts.lost == 1)
    }

    @Test func repeatedAndMissingMessageIDsDoNotMergeMessages() {
        var logs = L()
        logs.chain(at: 10, oldQID: "AAAA111111", newQID: "BBBB111111", users: ["alice"], messageID: "<same@x>", session: "s1")
        logs.chain(at: 20, oldQID: "AAAA222222", newQID: "BBBB222222", users: ["alice"], messageID: "<same@x>", session: "s2")
        logs.chain(at: 30, oldQID: "AAAA333333", newQID: "BBBB333333", users: ["alice"], messageID: nil, session: "s3")
        let report = logs.prove()
        #expect(report.verdict == .proven, "\(report.reasons)")
        #expect(report.counts.deliveredNew == 3)
        #expect(report.counts.duplicated == 0)
    }

    @Test func aMissingDovecotLineIsUnaccounted() {
        var logs = L()
        logs.chain(at: 10, oldQID: "A1B2C3D4E5", newQID: "F0E1D2C3B4", users: ["alice", "bob"])
        logs.dovecot.removeLast()
        let report = logs.prove()
        #expect(report.verdict == .failed)
        #expect(report.counts.lost == 1)
        #expect(report.counts.deliveredNew == 1)
        let lost = report.entries.first { $0.outcome.kind == .unaccounted }
        #expect(lost?.recipient == "bob@example.com")
        #expect(lost?.outcome.detail.contains("sEsSiOnAAAAAAAAAAAAAAA:R2") == true)
    }

    @Test func logGapsFailTheProofWhateverTheyHold() {
        var suppressed = L()
        suppressed.chain(at: 10, oldQID: "A1B2C3D4E5", newQID: "F0E1D2C3B4", users: ["alice"])
        suppressed.old.insert("\(L.time(11)) mx.old systemd-journald[312]: Suppressed 1204 messages from postfix@-.service", at: 2)
        let report = suppressed.prove()
        #expect(report.verdict == .failed)
        #expect(report.counts.deliveredNew == 1)
        #expect(report.gaps.map(\.line) == [3])
        #expect(report.reasons.first?.contains("Suppressed 1204 messages") == true)

        var backwards = L()
        backwards.chain(at: 100, oldQID: "A1B2C3D4E5", newQID: "F0E1D2C3B4", users: ["alice"])
        backwards.old.append("\(L.time(20)) mx.old postfix/qmgr[102]: 0123456789: removed")
        #expect(backwards.prove().gaps.first?.reason.contains("time goes back") == true)
    }

    @Test func oldStoreDeliveriesNeedTheSyncsVerifyAndTheRightTime() {
        var logs = L()
        for (second, qid) in [(10, "C0C0C0C0C1"), (50, "C0C0C0C0C2")] {
            logs.old += L.accept(second, "mx.old", qid, messageID: "<\(qid)@x>", recipients: 1)
            logs.old.append("\(L.time(second)) mx.old postfix/local[104]: \(qid): to=<alice@example.com>, relay=local, delay=0.02, delays=0/0/0/0, dsn=2.0.0, status=sent (delivered to maildir)")
            logs.old.append(L.removed(second, "mx.old", qid))
        }
        let verified = logs.prove(oldStore: OldStoreEvidence(finalSyncStartedAt: L.instant(40), verifiedAddresses: ["Alice@example.com": true]))
        #expect(verified.counts.deliveredOld == 1)
        #expect(verified.counts.lost == 1)
        #expect(verified.entries[1].outcome.detail.contains("after the final sync began"))
        let unverified = logs.prove(oldStore: OldStoreEvidence(verifiedAddresses: ["alice@example.com": false]))
        #expect(unverified.counts.lost == 2)
        #expect(logs.prove().entries.allSatisfy { $0.outcome.detail.contains("no verify result") })

        // An alias expanded by local(8): the verified address is the one the sender used.
        var alias = L()
        alias.old += L.accept(10, "mx.old", "C0C0C0C0C3", messageID: "<c3@x>", recipients: 1)
        alias.old.append("\(L.time(10)) mx.old postfix/local[104]: C0C0C0C0C3: to=<alice@mx.old.example.com>, orig_to=<info@example.com>, relay=local, delay=0.02, delays=0/0/0/0, dsn=2.0.0, status=sent (delivered to maildir)")
        alias.old.append(L.removed(10, "mx.old", "C0C0C0C0C3"))
        #expect(alias.prove(oldStore: OldStoreEvidence(verifiedAddresses: ["info@example.com": true])).counts.deliveredOld == 1)
    }

    @Test func mirrorCopiesRefusalsBouncesAndHeldMail() {
        var logs = L()
        logs.old += L.accept(10, "mx.old", "D0D0D0D0D1", messageID: "<d1@x>", recipients: 2)
        logs.old.append("\(L.time(10)) mx.old postfix/discard[105]: D0D0D0D0D1: to=<alice@example.com.mirror.invalid>, relay=none, delay=0, delays=0/0/0/0, dsn=2.0.0, status=sent (mailferry cutover dropped a mirror copy)")
        logs.old.append(L.relayed(11, "mx.old", "D0D0D0D0D1", to: "alice@example.com", next: "E0E0E0E0E1"))
        logs.old.append(L.removed(11, "mx.old", "D0D0D0D0D1"))
        logs.new += L.accept(11, "mx.new", "E0E0E0E0E1", messageID: "<d1@x>", recipients: 1)
        logs.new.append("\(L.time(12)) mx.new postfix/lmtp[203]: E0E0E0E0E1: to=<alice@example.com>, relay=127.0.0.1[127.0.0.1]:24, delay=0.1, delays=0/0/0/0.1, dsn=5.2.2, status=bounced (host 127.0.0.1[127.0.0.1] said: 552 5.2.2 <alice@example.com> Quota exceeded)")
        logs.new.append(L.removed(12, "mx.new", "E0E0E0E0E1"))
        logs.old.append("\(L.time(13)) mx.old postfix/smtpd[100]: NOQUEUE: reject: RCPT from ext.example[198.51.100.7]: 550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown; from=<s@x> to=<nobody@example.com> proto=ESMTP helo=<x>")
        logs.old.append("\(L.time(14)) mx.old postfix/smtpd[100]: NOQUEUE: hold: RCPT from ext.example[198.51.100.7]: <bob@example.com>: Recipient address triggers HOLD action; from=<s@x> to=<bob@example.com> proto=ESMTP helo=<x>")
        logs.old.append("\(L.time(14)) mx.old postfix/smtpd[100]: D0D0D0D0D2: client=ext.example[198.51.100.7]")
        logs.old.append("\(L.time(14)) mx.old postfix/cleanup[101]: D0D0D0D0D2: message-id=<d2@x>")
        let report = logs.prove()
        #expect(report.counts.mirrorCopies == 1)
        #expect(report.counts.recipients == 2)
        #expect(report.counts.bounced == 1)
        #expect(report.counts.queued == 1)
        #expect(report.counts.refused == 1)
        #expect(report.refusals.first?.recipient == "nobody@example.com")
        #expect(report.verdict == .pending)
        #expect(report.entries.last?.outcome.detail == "in the hold queue")
    }

    @Test func aRecipientWithoutADeliveryLineIsLostOnceTheMessageIsRemoved() {
        var logs = L()
        logs.old += L.accept(10, "mx.old", "A1B2C3D4E5", messageID: "<m@x>", recipients: 2)
        logs.old.append(L.relayed(11, "mx.old", "A1B2C3D4E5", to: "alice@example.com", next: "F0E1D2C3B4"))
        logs.new += L.accept(11, "mx.new", "F0E1D2C3B4", messageID: "<m@x>", recipients: 1)
        logs.new.append(L.lmtp(12, "F0E1D2C3B4", to: "alice@example.com", session: "s1"))
        logs.dovecot.append(L.saved(12, user: "alice", session: "s1", messageID: "<m@x>"))
        #expect(logs.prove().verdict == .pending)
        logs.old.append("\(L.time(20)) mx.old postfix/postsuper[9]: A1B2C3D4E5: removed")
        let report = logs.prove()
        #expect(report.verdict == .failed)
        #expect(report.counts.lost == 1)
        #expect(report.entries.last?.outcome.detail.contains("by postsuper") == true)
    }

    @Test func heldMailDeletedIsLostAndExpiredMailIsBounced() {
        var logs = L()
        logs.old.append("\(L.time(14)) mx.old postfix/smtpd[100]: NOQUEUE: hold: RCPT from x[192.0.2.1]: <bob@example.com>: Recipient address mailferry cutover hold; from=<s@x> to=<bob@example.com> proto=ESMTP helo=<x>")
        logs.old.append("\(L.time(14)) mx.old postfix/smtpd[100]: D0D0D0D0D2: client=x[192.0.2.1]")
        logs.old.append("\(L.time(14)) mx.old postfix/cleanup[101]: D0D0D0D0D2: message-id=<d2@x>")
        logs.old.append("\(L.time(20)) mx.old postfix/postsuper[9]: D0D0D0D0D2: removed")
        logs.old += L.accept(30, "mx.old", "D0D0D0D0D3", messageID: "<d3@x>", recipients: 1)
        logs.old.append("\(L.time(40)) mx.old postfix/qmgr[102]: D0D0D0D0D3: from=<s@x>, status=expired, returned to sender")
        logs.old.append(L.removed(40, "mx.old", "D0D0D0D0D3"))
        let report = logs.prove()
        #expect(report.verdict == .failed)
        #expect(report.counts.lost == 1)
        #expect(report.counts.bounced == 1)
        #expect(report.entries.first?.outcome.detail == "removed without any delivery line")
    }

    @Test func twoDeliveriesOfOneChainAreDuplicates() {
        var twice = L()
        twice.chain(at: 10, oldQID: "A1B2C3D4E5", newQID: "F0E1D2C3B4", users: ["alice"])
        twice.old.insert(L.relayed(11, "mx.old", "A1B2C3D4E5", to: "alice@example.com", next: "F0E1D2C3B4"), at: 3)
        #expect(twice.prove().counts.duplicated == 1)

        // The old server lost the first 250 and sent again: the new server has a message no
        // old line names, with the same Message-ID for the same recipient.
        var resent = L()
        resent.new += L.accept(8, "mx.new", "F9F9F9F9F9", messageID: "<m1@ext.example>", recipients: 1, client: "mx.old.test[192.0.2.10]")
        resent.new.append(L.lmtp(9, "F9F9F9F9F9", to: "alice@example.com", session: "s0"))
        resent.dovecot.append(L.saved(9, user: "alice", session: "s0", messageID: "<m1@ext.example>"))
        resent.chain(at: 10, oldQID: "A1B2C3D4E5", newQID: "F0E1D2C3B4", users: ["alice"])
        #expect(resent.prove().counts.duplicated == 0)
        let report = resent.prove(oldServerClients: ["192.0.2.10"])
        #expect(report.counts.duplicated == 1)
        #expect(report.verdict == .failed)
        #expect(report.duplicates.first?.queueID == "F9F9F9F9F9")
    }

    @Test func aCentralLogKeepsEachHostsQueueIDsApart() {
        var logs = L()
        logs.chain(at: 10, oldQID: "A1B2C3D4E5", newQID: "F0E1D2C3B4", users: ["alice"])
        // Another host of the same central log used the same id in the same seconds.
        let other = L.accept(10, "mx.other", "A1B2C3D4E5", messageID: "<o@x>", recipients: 1) + [
            "\(L.time(10)) mx.other postfix/local[9]: A1B2C3D4E5: to=<root@mx.other>, relay=local, delay=0, delays=0/0/0/0, dsn=2.0.0, status=sent (delivered to mailbox)",
            L.removed(10, "mx.other", "A1B2C3D4E5"),
        ]
        logs.old.insert(contentsOf: other, at: 1)
        var inputs = logs.inputs()
        inputs.oldLogHosts = ["MX.OLD"]
        let report = CutoverProof.build(from: inputs)
        #expect(report.verdict == .proven, "\(report.reasons)")
        #expect(report.counts.accepted == 1)
        #expect(report.entries.map(\.recipient) == ["alice@example.com"])
        // Without the host filter the other host's message is the old server's too (and, here, unverified).
        #expect(logs.prove().counts.accepted == 2)
    }

    @Test func mailOutsideTheWindowIsNotProven() {
        var logs = L()
        logs.chain(at: 10, oldQID: "A1B2C3D4E5", newQID: "F0E1D2C3B4", users: ["alice"])
        var inputs = logs.inputs()
        inputs.since = L.instant(100)
        let report = CutoverProof.build(from: inputs)
        #expect(report.counts.accepted == 0)
        #expect(report.entries.isEmpty)
    }
}
