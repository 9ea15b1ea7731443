import Foundation
import MailferryConfig
import Migration

/// Everything `mailferry plan` found, as one Codable value: the CLI renders it as text,
/// JSON or HTML, and `mailferry cutover` reads the JSON for its drain time and its
/// decommission date.
public struct PlanReport: Codable, Sendable, Equatable {
    /// Bumped when a field changes meaning, so a reader can refuse a report it does not understand.
    public static let currentFormat = PlanSchedule.reportFormat
    public var format = PlanReport.currentFormat
    public var generated: Date
    public var domains: [String]
    public var findings: [PlanFinding]
    public var records: [PlanRecord]
    public var schedule: PlanSchedule?
    public var accounts: [AccountPlan]
    /// The expected freeze of the cutover, from the accounts as read on the old server.
    public var freeze: FreezeEstimate?
    /// Why no DNS record was read and no address checked, when the DNS part did not run
    /// (--no-dns, or no [plan] table and so no domains), with what to add: an empty record
    /// table is never silent.
    public var dnsSkipped: String?

    /// What the plan is about, for a title: the domains, or the accounts when no domain is
    /// configured (a plan of the mailboxes alone).
    public var subject: String {
        if !domains.isEmpty { return domains.joined(separator: ", ") }
        return "\(accounts.count) account\(accounts.count == 1 ? "" : "s")"
    }

    public init(generated: Date, domains: [String], findings: [PlanFinding], records: [PlanRecord], schedule: PlanSchedule?,
                accounts: [AccountPlan] = []) {
        self.generated = generated
        self.domains = domains
        self.findings = findings
        self.records = records
        self.schedule = schedule
        self.accounts = accounts
    }

    /// The worst severity found (`ok` when nothing was found).
    public var worst: PlanFinding.Severity { findings.map(\.severity).max() ?? .ok }

    public func count(_ severity: PlanFinding.Severity) -> Int { findings.filter { $0.severity == severity }.count }

    /// The report as JSON with ISO 8601 dates and sorted keys, stable for scripts and diffs.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Reads a report written by `json()` (for `mailferry cutover`).
    public static func decode(json data: Data) throws -> PlanReport {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(PlanReport.self, from: data)
    }
}
