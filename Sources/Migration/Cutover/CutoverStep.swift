/// One step of a cutover: what the orchestrator does next, recorded in the journal before
/// and after it runs. Steps are idempotent (running one again after a crash mid-step ends in
/// the same state) except those marked otherwise, which are reconciled instead: the journal
/// keeps a token from before they ran, and on resume the effects say whether it happened.
public enum CutoverStep: Hashable, Sendable, CustomStringConvertible {
    case closeNewLogins
    case relayNewToOld
    case checkMirror
    /// Checks the relay between the hosts before the hold: distinct `myhostname`s, then real
    /// test messages each way (not idempotent: messages), so it is journaled with a token
    /// (in the messages' Message-IDs) and reconciled on resume from the logs.
    case testRelay
    case presync(round: Int)
    case stopOldIMAP
    case enterHold
    case verifyHold
    case purgeMirrorCopies
    case quietStore
    case finalSync
    case verify
    /// Records each new folder's UIDVALIDITY and UIDNEXT before the new Postfix delivers
    /// locally: a rollback copies back what came after these marks.
    case markNewMailboxes
    case deliverLocallyOnNew
    case relayOldToNew
    case openLogins
    /// The forwarder on the old host starts (stale IMAP/POP3/submission clients reach the new
    /// server); never before *open*, when the new store is complete.
    case startForward
    case drainCheck
    case prove
    /// Decommission: the forwarder on the old host stops (also the first step of a rollback
    /// that finds it started).
    case stopForward
    /// Rollback: the old host holds the domains again (before anything is relayed back to
    /// it, or mail would ping-pong between the hosts until `hopcount_limit`).
    case rollbackHoldOld
    /// Rollback: the new Postfix relays the domains to the old host again.
    case rollbackRelayNewToOld
    /// Rollback: mail delivered into the new mailboxes since the switch is copied to the old
    /// store (users never saw it: logins stay refused until *open*).
    case rollbackCopyBack
    /// Rollback: the old Postfix as before the hold; the held mail is delivered locally.
    case rollbackRestoreOld
    case rollbackStartOldIMAP

    public var phase: CutoverPhase {
        switch self {
        case .closeNewLogins, .relayNewToOld, .checkMirror, .testRelay: .mirror
        case .presync: .presync
        case .stopOldIMAP, .enterHold, .verifyHold, .purgeMirrorCopies, .quietStore: .hold
        case .finalSync, .verify: .finalDelta
        case .markNewMailboxes, .deliverLocallyOnNew, .relayOldToNew: .switchover
        case .openLogins, .startForward: .open
        case .drainCheck: .drain
        case .prove, .stopForward: .prove
        case .rollbackHoldOld, .rollbackRelayNewToOld, .rollbackCopyBack, .rollbackRestoreOld, .rollbackStartOldIMAP: .rollback
        }
    }

    /// False for a step that must never run twice; it is reconciled on resume.
    public var isIdempotent: Bool { self != .testRelay }

    /// The journal's name for the step (stable: it is stored).
    public var name: String {
        switch self {
        case .closeNewLogins: "close-new-logins"
        case .relayNewToOld: "relay-new-to-old"
        case .checkMirror: "check-mirror"
        case .testRelay: "test-relay"
        case .presync(let round): "presync-\(round)"
        case .stopOldIMAP: "stop-old-imap"
        case .enterHold: "enter-hold"
        case .verifyHold: "verify-hold"
        case .purgeMirrorCopies: "purge-mirror-copies"
        case .quietStore: "quiet-store"
        case .finalSync: "final-sync"
        case .verify: "verify"
        case .markNewMailboxes: "mark-new-mailboxes"
        case .deliverLocallyOnNew: "deliver-locally-on-new"
        case .relayOldToNew: "relay-old-to-new"
        case .openLogins: "open-logins"
        case .startForward: "start-forward"
        case .drainCheck: "drain-check"
        case .prove: "prove"
        case .stopForward: "stop-forward"
        case .rollbackHoldOld: "rollback-hold-old"
        case .rollbackRelayNewToOld: "rollback-relay-new-to-old"
        case .rollbackCopyBack: "rollback-copy-back"
        case .rollbackRestoreOld: "rollback-restore-old"
        case .rollbackStartOldIMAP: "rollback-start-old-imap"
        }
    }

    public init?(name: String) {
        if name.hasPrefix("presync-"), let round = Int(name.dropFirst("presync-".count)), round >= 1 {
            self = .presync(round: round)
            return
        }
        guard let step = Self.fixed.first(where: { $0.name == name }) else { return nil }
        self = step
    }

    public var description: String { name }

    /// Every step without a parameter, for parsing.
    static let fixed: [CutoverStep] = [
        .closeNewLogins, .relayNewToOld, .checkMirror, .testRelay, .stopOldIMAP, .enterHold, .verifyHold, .purgeMirrorCopies,
        .quietStore, .finalSync, .verify, .markNewMailboxes, .deliverLocallyOnNew, .relayOldToNew, .openLogins, .startForward, .drainCheck, .prove,
        .stopForward, .rollbackHoldOld, .rollbackRelayNewToOld, .rollbackCopyBack, .rollbackRestoreOld, .rollbackStartOldIMAP,
    ]

    /// What each step does, in words, for `cutover plan` and `status`.
    public var summary: String {
        switch self {
        case .closeNewLogins: "new Dovecot refuses user logins until open"
        case .relayNewToOld: "new Postfix relays the domains to the old host (mail reaching the new address early ends in the old store)"
        case .checkMirror: "the old Postfix bcc's the domains to the mirror and the mirror's spool is in place"
        case .testRelay: "relay check: the hosts' myhostname differ, and test messages (null and SPF-failing sender) reach the peer each way"
        case .presync(let round): "presync round \(round): copy what arrived since the last round"
        case .stopOldIMAP: "old IMAP/POP daemons stopped (the auth daemon keeps serving SMTP AUTH)"
        case .enterHold: "old Postfix holds the domains' mail (250, hold queue), mirror bcc off, queued copies discarded: one reload"
        case .verifyHold: "the hold is in force as Postfix evaluates it"
        case .purgeMirrorCopies: "tagged mirror copies removed from the new mailboxes"
        case .quietStore: "no delivery agent or active-queue entry writes into the old store"
        case .finalSync: "final delta sync"
        case .verify: "verify: nothing missing or altered (a failure stays in the hold)"
        case .markNewMailboxes: "each new folder's UIDVALIDITY and UIDNEXT recorded (a rollback copies back what comes after)"
        case .deliverLocallyOnNew: "new Postfix delivers the domains locally"
        case .relayOldToNew: "old Postfix relays the domains to the new host ([] next hop, soft_bounce) and releases the held mail: one reload"
        case .openLogins: "new Dovecot accepts user logins; change the DNS records"
        case .startForward: "the old host forwards IMAP, POP3 and submission to the new server (PROXY v2), for clients with stale DNS"
        case .drainCheck: "TTL + margin passed since the switch, the old queue holds nothing for the domains, no mail for them arrived at the old host for the quiet time, no client logged in through the forwarder for its quiet time, and (with [plan] old_addresses) DNS answers only the new server and the last old answer's TTL + margin passed"
        case .prove: "the report: where every message accepted during the window ended"
        case .stopForward: "decommission: the forwarder on the old host stops"
        case .rollbackHoldOld: "old Postfix holds the domains again (before the new one relays back)"
        case .rollbackRelayNewToOld: "new Postfix relays the domains to the old host again"
        case .rollbackCopyBack: "mail delivered on the new side since the switch copied back to the old store (Maildir files, bytes and flags kept)"
        case .rollbackRestoreOld: "old Postfix as before the hold; held mail delivered locally"
        case .rollbackStartOldIMAP: "old IMAP/POP daemons started again"
        }
    }
}
