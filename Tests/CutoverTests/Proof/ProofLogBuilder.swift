import Cutover

/// Writes log lines in the shapes the testbed's Postfix and Dovecot write (see
/// MailLogLineParserTests), for proofs over scenarios a live server produces rarely.
struct ProofLogBuilder {
    var old: [String] = []
    var new: [String] = []
    var dovecot: [String] = []

    static let clock = LogClock(anchor: LogInstant(iso: "2026-12-06T12:00:00Z")!)
    static let newRelay = "mx.new.test[192.0.2.20]:25"

    static func time(_ second: Int) -> String {
        let minute = second / 60
        return "Dec 06 12:\(minute < 10 ? "0" : "")\(minute):\(second % 60 < 10 ? "0" : "")\(second % 60)"
    }

    static func instant(_ second: Int) -> LogInstant { LogInstant(iso: "2026-12-06T12:00:00Z")!.adding(seconds: Int64(second)) }

    /// smtpd/cleanup/qmgr lines of one accepted message.
    static func accept(_ at: Int, _ host: String, _ qid: String, messageID: String?, recipients: Int, client: String = "ext.example[198.51.100.7]") -> [String] {
        ["\(time(at)) \(host) postfix/smtpd[100]: \(qid): client=\(client)",
         "\(time(at)) \(host) postfix/cleanup[101]: \(qid): message-id=\(messageID ?? "")",
         "\(time(at)) \(host) postfix/qmgr[102]: \(qid): from=<sender@ext.example>, size=1234, nrcpt=\(recipients) (queue active)"]
    }

    static func relayed(_ at: Int, _ host: String, _ qid: String, to: String, next: String) -> String {
        "\(time(at)) \(host) postfix/smtp[103]: \(qid): to=<\(to)>, relay=\(newRelay), delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as \(next))"
    }

    static func lmtp(_ at: Int, _ qid: String, to: String, session: String) -> String {
        "\(time(at)) mx.new postfix/lmtp[203]: \(qid): to=<\(to)>, relay=127.0.0.1[127.0.0.1]:24, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 <\(to)> \(session) Saved)"
    }

    static func saved(_ at: Int, user: String, session: String, messageID: String, folder: String = "INBOX") -> String {
        "\(time(at)) lmtp(\(user))<300><\(session)>: Info: msgid=\(messageID): saved mail to \(folder)"
    }

    static func removed(_ at: Int, _ host: String, _ qid: String) -> String { "\(time(at)) \(host) postfix/qmgr[102]: \(qid): removed" }

    /// One message relayed old → new → Dovecot, `users` recipients in one transaction.
    mutating func chain(at: Int, oldQID: String, newQID: String, users: [String], messageID: String? = "<m1@ext.example>",
                        session: String = "sEsSiOnAAAAAAAAAAAAAAA") {
        old += Self.accept(at, "mx.old", oldQID, messageID: messageID, recipients: users.count)
        new += Self.accept(at + 1, "mx.new", newQID, messageID: messageID, recipients: users.count, client: "mx.old.test[192.0.2.10]")
        for (index, user) in users.enumerated() {
            old.append(Self.relayed(at + 1, "mx.old", oldQID, to: "\(user)@example.com", next: newQID))
            let userSession = index == 0 ? session : "\(session):R\(index + 1)"
            new.append(Self.lmtp(at + 2, newQID, to: "\(user)@example.com", session: userSession))
            dovecot.append(Self.saved(at + 2, user: user, session: userSession, messageID: messageID ?? ""))
        }
        old.append(Self.removed(at + 1, "mx.old", oldQID))
        new.append(Self.removed(at + 2, "mx.new", newQID))
    }

    func inputs(oldStore: OldStoreEvidence = OldStoreEvidence(), oldServerClients: [String] = []) -> ProofInputs {
        ProofInputs(
            oldLog: MailLogScan.scan(name: "old", lines: old, clock: Self.clock),
            newLog: MailLogScan.scan(name: "new", lines: new, clock: Self.clock),
            dovecotLog: MailLogScan.scan(name: "dovecot", lines: dovecot, clock: Self.clock),
            since: Self.instant(0), until: Self.instant(3000), newServerRelays: ["mx.new.test"], oldServerClients: oldServerClients,
            oldStore: oldStore, timeline: [ProofPhase(name: "hold", start: Self.instant(5), end: Self.instant(9))])
    }

    func prove(oldStore: OldStoreEvidence = OldStoreEvidence(), oldServerClients: [String] = []) -> CutoverProofReport {
        CutoverProof.build(from: inputs(oldStore: oldStore, oldServerClients: oldServerClients))
    }
}
