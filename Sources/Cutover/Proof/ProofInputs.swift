/// Everything the proof reads: the three logs (parsed), the window, how to recognise the new
/// server in a `relay=` field, and what the sync and the orchestrator know.
public struct ProofInputs: Sendable {
    public var oldLog: MailLogScan
    /// The new server's Postfix log; without it no relayed message can be followed.
    public var newLog: MailLogScan?
    /// Dovecot's log (LMTP `saved mail to FOLDER`); without it LMTP's `Saved` reply is taken
    /// as the delivery and no folder is known, which the report says.
    public var dovecotLog: MailLogScan?
    /// The window: messages the old server accepted from `since` to `until` are proven.
    public var since: LogInstant
    public var until: LogInstant
    /// How the new server appears in the old server's `relay=` field: `mx.new.example`,
    /// `192.0.2.10`, `192.0.2.10:2525` (name or address, with or without the port). Empty:
    /// a relay is the new server when the id it answered with is in the new log at that time.
    public var newServerRelays: [String]
    /// The new server's log shows the old server as `client=` one of these (name or address):
    /// messages it received from the old server that no old line names are duplicates
    /// when they carry a chained message's Message-ID to the same recipient.
    public var oldServerClients: [String]
    /// The old server's syslog host names (any case) when its log is a central one that
    /// also holds other hosts' lines; empty: every message in the old log is the old server's.
    public var oldLogHosts: Set<String>
    /// The mirror copies' domain suffix (`postfix mirror`'s shadow domains).
    public var mirrorCopySuffix: String
    public var oldStore: OldStoreEvidence
    public var timeline: [ProofPhase]
    /// How far apart (seconds) the two hosts' lines of one hop may be: clock skew plus the
    /// longest transfer.
    public var hostToleranceSeconds: Int64

    public init(oldLog: MailLogScan, newLog: MailLogScan? = nil, dovecotLog: MailLogScan? = nil, since: LogInstant, until: LogInstant,
                newServerRelays: [String], oldServerClients: [String] = [], oldLogHosts: Set<String> = [],
                mirrorCopySuffix: String = "mirror.invalid",
                oldStore: OldStoreEvidence = OldStoreEvidence(), timeline: [ProofPhase] = [], hostToleranceSeconds: Int64 = 300) {
        self.oldLog = oldLog
        self.newLog = newLog
        self.dovecotLog = dovecotLog
        self.since = since
        self.until = until
        self.newServerRelays = newServerRelays
        self.oldServerClients = oldServerClients
        self.oldLogHosts = oldLogHosts
        self.mirrorCopySuffix = mirrorCopySuffix
        self.oldStore = oldStore
        self.timeline = timeline
        self.hostToleranceSeconds = hostToleranceSeconds
    }
}
