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

extension PlanSchedule {
    /// The `format` of the report `mailferry plan --json` writes; a reader refuses others.
    public static let reportFormat = 1

    /// The schedule of a report written by `mailferry plan --json`, for the cutover's drain
    /// (`[cutover.drain] plan_report`). Only `format` and `schedule` are read.
    public static func read(report path: String) throws(ConfigError) -> PlanSchedule {
        struct Report: Decodable {
            var format: Int
            var schedule: PlanSchedule?
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError("cannot read the plan report \(path): write it with mailferry plan --config FILE --json \(path)")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let report: Report
        do {
            report = try decoder.decode(Report.self, from: data)
        } catch {
            throw ConfigError("\(path) is not a report of mailferry plan --json: \(error)")
        }
        guard report.format == reportFormat else {
            throw ConfigError("\(path) is a plan report of format \(report.format); this mailferry reads format \(reportFormat): run mailferry plan again")
        }
        guard let schedule = report.schedule else {
            throw ConfigError("\(path) has no schedule (the plan ran with --no-dns): run mailferry plan with its DNS part")
        }
        return schedule
    }
}
