import Cutover
import Foundation

/// The per-user delivery filters on the old host (`.forward`, maildrop's `.mailfilter`,
/// `.procmailrc`, a Sieve script), listed per account with what to do: the new server runs
/// none of them and IMAP does not carry them. Each account's home comes from the old host's
/// passwd database (`getent passwd`), which is what local(8) and maildrop use.
public struct DeliveryFilterCheck: Sendable {
    public var host: any Cutover.Host

    public init(host: any Cutover.Host) {
        self.host = host
    }

    public func run(accounts: [String]) async -> [PlanFinding] {
        var findings: [PlanFinding] = []
        var without = 0
        for account in accounts {
            do {
                let filters = try await self.filters(of: account)
                if filters.isEmpty { without += 1 }
                findings += filters.map { Self.finding(account, $0) }
            } catch {
                findings.append(PlanFinding(area: "filters", subject: account, severity: .warning,
                                            message: "cannot read the account's filters on \(host.name): \(error)",
                                            action: "Look for ~/.forward, ~/.mailfilter and ~/.procmailrc there by hand."))
            }
        }
        if without > 0 {
            findings.append(PlanFinding(area: "filters", subject: host.name, severity: .ok,
                                        message: "\(without) account\(without == 1 ? " has" : "s have") no .forward, .mailfilter, .procmailrc or Sieve script"))
        }
        return findings
    }

    /// The filters in `account`'s home; none when the old host has no such user (a
    /// virtual account has no home of its own there).
    func filters(of account: String) async throws -> [DeliveryFilter] {
        guard let home = try await OldHome.of(account, on: host) else { return [] }
        var found: [DeliveryFilter] = []
        for kind in [DeliveryFilter.Kind.forward, .mailfilter, .procmail, .sieve] {
            let path = (home as NSString).appendingPathComponent(kind.rawValue)
            guard let bytes = try await host.readFile(path) else { continue }
            found.append(DeliveryFilter(kind: kind, path: path, text: String(decoding: bytes, as: UTF8.self)))
        }
        return found
    }

    static func finding(_ account: String, _ filter: DeliveryFilter) -> PlanFinding {
        let (summary, sieve) = filter.translation
        let message = "\(filter.path): \(summary); the new server will not run it"
        if let sieve {
            let single = sieve.replacingOccurrences(of: "\n", with: " ")
            return PlanFinding(area: "filters", subject: account, severity: .warning, message: message,
                               action: "Review this Sieve script and install it for the user on the new server (Dovecot Pigeonhole) before the switch: \(single)")
        }
        return PlanFinding(area: "filters", subject: account, severity: .warning, message: message,
                           action: "Needs a person: rewrite it as a Sieve script (Dovecot Pigeonhole) before the switch, or mail the user about it.")
    }
}
