import PostfixControl

/// Roll back from the hold: every parameter and service the cutover changed goes back to
/// its value before the hold (the mirror phase's bcc included), then the held mail is
/// released to local delivery, exactly as if it had never been held.
public struct RestorePlan: Hashable, Sendable {
    public var domains: CutoverDomains

    public init(domains: CutoverDomains) {
        self.domains = domains
    }

    public func plan(backup: CutoverBackup) -> PostfixPlan {
        var changes = Self.restoreParameters(backup.postfix.parameters.keys.sorted(), from: backup)
        for (service, entry) in backup.services.sorted(by: { $0.key < $1.key }) {
            let parts = service.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            if let entry {
                changes.append(.setService(name: parts[0], type: parts[1], entry: entry))
            } else {
                changes.append(.removeService(name: parts[0], type: parts[1]))
            }
        }
        changes += [
            .reload,
            .removeMap(name: CutoverDomains.holdMap, type: "regexp"),
            .removeMap(name: CutoverDomains.transportMap, type: "regexp"),
            .releaseHeld(domains: domains.domains),
            .deliverQueued(domains: domains.domains),
        ]
        return PostfixPlan(kind: .restore, domains: domains.domains, changes: changes)
    }

    /// Set each parameter back to its value in the backup, or remove it when it was unset.
    static func restoreParameters(_ names: [String], from backup: CutoverBackup) -> [PostfixChange] {
        var set: [PostfixParameter] = []
        var remove: [String] = []
        for name in names {
            guard let before = backup.postfix.parameters[name] else { continue }
            if let before { set.append(PostfixParameter(name, before)) } else { remove.append(name) }
        }
        var changes: [PostfixChange] = []
        if !set.isEmpty { changes.append(.setParameters(set)) }
        if !remove.isEmpty { changes.append(.removeParameters(remove)) }
        return changes
    }
}
