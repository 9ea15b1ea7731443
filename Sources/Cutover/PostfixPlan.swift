/// What one cutover step does to one Postfix instance: the changes in order, and the
/// parameters and services it touches (backed up before the first change). A value: it can
/// be printed (dry run), stored, compared, and applied with ``PostfixHost/apply(_:clock:)``.
public struct PostfixPlan: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, Codable {
        /// Enter the hold: mail for the domains is accepted and kept, never delivered.
        case hold
        /// The switch: relay the domains to the new server and release the hold.
        case relay
        /// Roll back from the hold: deliver locally again, as before the cutover.
        case restore
    }

    public var kind: Kind
    public var domains: [String]
    public var changes: [PostfixChange]

    public init(kind: Kind, domains: [String], changes: [PostfixChange]) {
        self.kind = kind
        self.domains = domains
        self.changes = changes
    }

    /// The dry run: every change as the commands it runs on `postfix`'s host.
    public func render(for postfix: PostfixHost) -> String {
        var text = "\(kind.rawValue) on \(postfix.host.name), Postfix \(postfix.configDirectory) (\(domains.joined(separator: ", "))):\n"
        for change in changes {
            for line in change.commands(in: postfix) { text += "  \(line)\n" }
        }
        return text
    }

    /// main.cf parameters this plan sets or removes.
    var parameterNames: [String] {
        changes.flatMap { change -> [String] in
            switch change {
            case .setParameters(let parameters): parameters.map(\.name)
            case .removeParameters(let names): names
            default: []
            }
        }
    }

    /// master.cf services (`name/type`) this plan sets or removes.
    var serviceNames: [String] {
        changes.compactMap { change -> String? in
            switch change {
            case .setService(let name, let type, _), .removeService(let name, let type): "\(name)/\(type)"
            default: nil
            }
        }
    }
}
