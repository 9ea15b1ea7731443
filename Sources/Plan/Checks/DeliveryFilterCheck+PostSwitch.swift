import Cutover

extension DeliveryFilterCheck {
    /// A `.forward` that only forwards (and perhaps keeps a copy), asked of the new Postfix's
    /// post-switch configuration: when every address of the account already ends at the same
    /// destinations there (a virtual alias, say), nothing is left to build and the finding is
    /// ok; otherwise it says where that mail would end instead. Other findings, and every
    /// finding when the configuration cannot be read, are returned as they are.
    func resolved(_ finding: PlanFinding, account: String, filter: DeliveryFilter) async -> PlanFinding {
        guard let postSwitch, filter.kind == .forward, filter.problems.isEmpty else { return finding }
        let forward = filter.forward
        var external: Set<String> = []
        var keeps = false
        for destination in forward.destinations {
            switch destination {
            case .address(let address): external.insert(address.lowercased())
            case .keep: keeps = true
            default: return finding
            }
        }
        let addresses = addresses(of: account)
        guard !external.isEmpty, forward.omitted == 0, !addresses.isEmpty,
            let results = try? await postSwitch.resolveWithFinals(addresses)
        else { return finding }
        let local = Set(domains.map { $0.lowercased() })
        var differences: [String] = []
        for address in addresses {
            guard let result = results[address] else { return finding }
            let finals = Set(result.finals)
            let keptHere = finals.contains { local.contains(PostSwitchAddresses.Resolver.split($0).domain) }
            var built = external.isSubset(of: finals) && keeps == keptHere
            if case .accepted = result.verdict {} else { built = false }
            if !built {
                differences.append("mail to \(address) would end at \(result.finals.isEmpty ? "nothing" : result.finals.sorted().joined(separator: ", "))")
            }
        }
        var updated = finding
        let directory = postSwitch.postfix.configDirectory
        if differences.isEmpty {
            updated.severity = .ok
            updated.message += "; the new Postfix's post-switch configuration (\(directory)) already does the same"
            updated.action = nil
        } else {
            updated.message += "; the new Postfix's post-switch configuration (\(directory)) does not yet: " + differences.joined(separator: "; ")
        }
        return updated
    }
}
