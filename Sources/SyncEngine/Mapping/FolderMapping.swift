public import MailModel

/// One source folder and the destination folder it will be copied into.
public struct FolderMapping: Hashable, Sendable {
    /// Why the destination name was chosen: shown in `--dry-run` plans.
    public enum Reason: Hashable, Sendable, CustomStringConvertible {
        case inbox
        case hierarchy
        case specialUse(SpecialUse)
        case rule(String)

        public var description: String {
            switch self {
            case .inbox: return "INBOX"
            case .hierarchy: return "same name"
            case .specialUse(let role): return "role \(role.rawValue)"
            case .rule(let rule): return "rule \(rule)"
            }
        }
    }

    public var source: FolderListing
    public var destination: MailboxName
    public var reason: Reason
    /// False when the destination folder must be created.
    public var destinationExists: Bool
    /// The destination folder was subscribed when the plan was made.
    public var destinationSubscribed: Bool

    public init(source: FolderListing, destination: MailboxName, reason: Reason, destinationExists: Bool, destinationSubscribed: Bool = false) {
        self.source = source
        self.destination = destination
        self.reason = reason
        self.destinationExists = destinationExists
        self.destinationSubscribed = destinationSubscribed
    }
}

/// A reason the folder plan cannot be carried out. Every problem is reported before
/// anything is written.
public enum MappingProblem: Error, Hashable, Sendable, CustomStringConvertible {
    /// Two or more source folders would land in the same destination folder.
    case collision(sources: [String], destination: String)
    /// The source name cannot be expressed in the destination's hierarchy.
    case unrepresentable(source: String, reason: String)
    /// A rename rule is malformed.
    case invalidRule(String, reason: String)

    public var description: String {
        switch self {
        case .collision(let sources, let destination):
            return "folders \(sources.map { "\"\($0)\"" }.joined(separator: " and ")) would all be copied into \"\(destination)\"; "
                + "add a --map rule for one of them"
        case .unrepresentable(let source, let reason):
            return "folder \"\(source)\" cannot be created on the destination: \(reason); add a --map rule for it"
        case .invalidRule(let rule, let reason):
            return "mapping rule \"\(rule)\" is invalid: \(reason)"
        }
    }
}

/// The outcome of mapping an account's folders.
public struct FolderPlan: Sendable {
    public var mappings: [FolderMapping]
    /// Source folders left out, with the reason (excluded, not selectable).
    public var skipped: [(folder: String, reason: String)]
    public var problems: [MappingProblem]

    public init(mappings: [FolderMapping], skipped: [(folder: String, reason: String)], problems: [MappingProblem]) {
        self.mappings = mappings
        self.skipped = skipped
        self.problems = problems
    }
}
