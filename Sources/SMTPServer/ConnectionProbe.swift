/// What a connection reports about its waits and deadlines. Tests use it to wait on these
/// events instead of on time; the product installs none.
struct ConnectionProbe: Sendable {
    enum Event: Hashable, Sendable {
        /// The reader waits for the client to send.
        case waitingForInput
        /// The reader waits for the client to read the replies already written.
        case waitingForOutput
        /// The watchdog looked at the deadlines.
        case deadlineChecked(expired: Bool)
        /// The control closed the connection (with this reply code, if the client reads).
        case closedByControl(Int)
        /// The connection is over; the most reply octets it ever had written but not sent.
        case ended(peakReplyBacklog: Int)
        /// The connection's slot is free: it no longer counts against the connection limits.
        case released
    }

    let report: @Sendable (Event) -> Void
}
