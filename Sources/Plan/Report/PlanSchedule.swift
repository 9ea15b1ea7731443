import Foundation

/// The dates that follow from the TTLs: how long after the switch mail may still reach
/// the old server, and when it can be switched off.
public struct PlanSchedule: Codable, Sendable, Equatable {
    /// The longest TTL of a record that leads to the old server (or must change): the
    /// drain phase of `mailferry cutover` waits at least this long.
    public var longestTTL: UInt32
    /// The record that has it (`mx.example.com A`), when there is one.
    public var longestTTLRecord: String?
    /// Added to the longest TTL for resolvers that clamp TTLs upwards or serve stale
    /// answers (RFC 8767), and for senders' queues.
    public var marginSeconds: Int
    /// RFC 5321 4.5.4.1: senders retry for 4 to 5 days, so mail queued for the old address
    /// before the switch can still arrive that long after it. The recommended minimum.
    public static let retryHorizonSeconds = 5 * 86_400
    /// Seconds after the switch when the old server may be switched off: the longest TTL
    /// plus the margin, and never less than the retry horizon.
    public var decommissionAfterSeconds: Int
    /// The planned switch, when the config names one.
    public var switchAt: Date?
    /// `switchAt` + `decommissionAfterSeconds`.
    public var decommissionDate: Date?

    public init(longestTTL: UInt32, longestTTLRecord: String?, marginSeconds: Int, switchAt: Date?) {
        self.longestTTL = longestTTL
        self.longestTTLRecord = longestTTLRecord
        self.marginSeconds = marginSeconds
        let after = max(Int(longestTTL) + marginSeconds, Self.retryHorizonSeconds)
        self.decommissionAfterSeconds = after
        self.switchAt = switchAt
        self.decommissionDate = switchAt.map { $0.addingTimeInterval(TimeInterval(after)) }
    }
}
