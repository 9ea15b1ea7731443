/// What a proof is built with besides the logs: how the servers appear in each other's
/// logs, the mirror copies' domain, the logs' zone and the skew allowed between hosts. One
/// value for ``CutoverLogProver`` (the hosts' logs) and ``LogFileProver`` (local files), so
/// both turn their scans into ``ProofInputs`` the same way.
public struct ProofSettings: Sendable {
    public var newServerRelays: [String]
    public var oldServerClients: [String]
    public var oldLogHosts: Set<String>
    public var mirrorCopySuffix: String
    /// The logs' zone for timestamps without one (syslog, maillog_file, Dovecot's log_path).
    public var utcOffsetSeconds: Int64
    public var hostToleranceSeconds: Int64

    public init(newServerRelays: [String] = [], oldServerClients: [String] = [], oldLogHosts: Set<String> = [],
                mirrorCopySuffix: String = "mirror.invalid", utcOffsetSeconds: Int64 = 0, hostToleranceSeconds: Int64 = 300) {
        self.newServerRelays = newServerRelays
        self.oldServerClients = oldServerClients
        self.oldLogHosts = oldLogHosts
        self.mirrorCopySuffix = mirrorCopySuffix
        self.utcOffsetSeconds = utcOffsetSeconds
        self.hostToleranceSeconds = hostToleranceSeconds
    }

    /// The clock that dates the logs' lines of a window starting at `since`.
    func clock(since: LogInstant) -> LogClock {
        LogClock(anchor: since, utcOffsetSeconds: utcOffsetSeconds)
    }

    /// The proof of `since`…`until` from the scans.
    func proof(old: MailLogScan, new: MailLogScan?, dovecot: MailLogScan?, since: LogInstant, until: LogInstant,
               oldStore: OldStoreEvidence, timeline: [ProofPhase] = []) -> CutoverProofReport {
        CutoverProof.build(from: ProofInputs(
            oldLog: old, newLog: new, dovecotLog: dovecot, since: since, until: until,
            newServerRelays: newServerRelays, oldServerClients: oldServerClients, oldLogHosts: oldLogHosts,
            mirrorCopySuffix: mirrorCopySuffix, oldStore: oldStore, timeline: timeline, hostToleranceSeconds: hostToleranceSeconds))
    }
}
