/// The phases of `mailferry cutover`, in order (docs/admin/cutover.md). Each step belongs to one;
/// the phase a cutover is in is that of its latest step.
public enum CutoverPhase: String, Codable, CaseIterable, Sendable, Comparable {
    /// Mail is bcc'd to the mirror, the new server relays the domains to the old one and
    /// refuses user logins; a test message is relayed each way.
    case mirror
    /// Sync rounds while mail flows, repeated until the delta is small.
    case presync
    /// Old IMAP/POP stopped, old Postfix holds the domains' mail, mirror copies purged, the
    /// old store quiet.
    case hold
    /// The last sync and `verify`; a failure stays in the hold, which loses nothing.
    case finalDelta = "final-delta"
    /// The new Postfix delivers the domains locally, then the old one relays them to it and
    /// releases the held mail.
    case switchover = "switch"
    /// Users may log in on the new Dovecot; the DNS records are changed by the admin.
    case open
    /// The old host keeps relaying until the decommission criteria hold.
    case drain
    /// The report: where every message accepted during the window ended.
    case prove
    /// A rollback returns both servers to their state before the hold.
    case rollback

    public static func < (lhs: CutoverPhase, rhs: CutoverPhase) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
