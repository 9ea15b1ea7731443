import Cutover
import Foundation

/// The per-user delivery filters on the old host (`.forward`, maildrop's `.mailfilter`,
/// `.procmailrc`, a Sieve script), listed per account with what to do: the new server runs
/// none of them and IMAP does not carry them. Each account's home comes from the old host's
/// passwd database (`getent passwd`), which is what local(8) and maildrop use.
///
/// A `.forward` (and local(8)'s `.forward+ext`) is also an address the old server handles
/// its own way: those findings are in the `addresses` area, each with what to build on the
/// new server (a Postfix virtual alias or a Sieve redirect) and a blocker for a program, a
/// file or a list only the old host has.
public struct DeliveryFilterCheck: Sendable {
    public var host: any Cutover.Host
    /// The migrated domains: a `.forward` of `alice` is about `alice@` each of them.
    public var domains: [String]
    /// At most this many bytes of each file are read.
    public var limit: Int
    /// The new Postfix's post-switch configuration: a forward it already does is ok.
    public var postSwitch: PostSwitchAddresses?

    public init(host: any Cutover.Host, domains: [String] = [], limit: Int = 64 * 1024, postSwitch: PostSwitchAddresses? = nil) {
        self.host = host
        self.domains = domains
        self.limit = limit
        self.postSwitch = postSwitch
    }

    public func run(accounts: [String]) async -> [PlanFinding] {
        var findings: [PlanFinding] = []
        var without = 0
        for account in accounts {
            do {
                let filters = try await self.filters(of: account)
                if filters.isEmpty { without += 1 }
                for filter in filters { findings.append(await resolved(finding(account, filter), account: account, filter: filter)) }
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
        let patterns = [".forward", ".forward+*", ".forward-*", DeliveryFilter.Kind.mailfilter.rawValue, DeliveryFilter.Kind.procmail.rawValue,
                        DeliveryFilter.Kind.sieve.rawValue, Self.vacationMessage]
        let files = try await OldHostFiles.read(patterns, in: home, on: host, limit: limit) ?? []
        let message = files.first { $0.name == Self.vacationMessage && $0.size != nil && !$0.truncated }
            .flatMap { String(validating: $0.bytes, as: UTF8.self) }
        return files.compactMap { file in
            var filter = DeliveryFilter(file, home: home, account: account, limit: limit)
            if filter?.kind == .forward { filter?.vacationMessage = message }
            return filter
        }
    }

    /// vacation(1)'s reply text in the home, read for a `.forward` that pipes into it.
    static let vacationMessage = ".vacation.msg"

    /// The account's addresses in the migrated domains.
    func addresses(of account: String) -> [String] {
        if account.contains("@") { return [account.lowercased()] }
        return domains.map { "\(account.lowercased())@\($0.lowercased())" }
    }

    func finding(_ account: String, _ filter: DeliveryFilter) -> PlanFinding {
        let problems = filter.problems.isEmpty ? "" : " (\(filter.problems.joined(separator: "; ")))"
        if filter.kind == .forward {
            let forward = filter.forward
            var actions = forward.actions(addresses: addresses(of: account), path: filter.path, vacationMessage: filter.vacationMessage)
            if !filter.problems.isEmpty { actions.insert("Needs a person: read \(filter.path) by hand\(problems); the plan read only what it could.", at: 0) }
            let severity = filter.problems.isEmpty ? forward.severity : max(forward.severity, .warning)
            let after = severity == .ok ? "nothing to do" : "the new server reads no .forward"
            return PlanFinding(area: "addresses", subject: account, severity: severity,
                               message: "\(filter.path)\(problems): \(forward.summary); \(after)",
                               action: actions.isEmpty ? nil : actions.joined(separator: " "))
        }
        let (summary, sieve) = filter.translation
        let message = "\(filter.path)\(problems): \(summary); the new server will not run it"
        if let sieve {
            let single = sieve.replacingOccurrences(of: "\n", with: " ")
            return PlanFinding(area: "filters", subject: account, severity: .warning, message: message,
                               action: "Review this Sieve script and install it for the user on the new server (Dovecot Pigeonhole) before the switch: \(single)")
        }
        return PlanFinding(area: "filters", subject: account, severity: .warning, message: message,
                           action: "Needs a person: rewrite it as a Sieve script (Dovecot Pigeonhole) before the switch, or mail the user about it.")
    }
}
