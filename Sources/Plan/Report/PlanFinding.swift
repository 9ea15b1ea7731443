/// One result of a plan check: what was found, how much it matters, and what to do.
public struct PlanFinding: Codable, Sendable, Equatable {
    public enum Severity: String, Codable, Sendable, Comparable, CaseIterable {
        /// Nothing to do; shown so the admin sees what was checked.
        case ok
        /// The move works, but something should be done or known first.
        case warning
        /// The move would lose or bounce mail, or lock users out, unless this is fixed first.
        case blocker

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// The check's area: `dns`, `accounts`, ...
    public var area: String
    /// What the finding is about: a domain, a host name, an account.
    public var subject: String
    public var severity: Severity
    public var message: String
    /// What the admin should do; nil for `ok`.
    public var action: String?

    public init(area: String, subject: String, severity: Severity, message: String, action: String? = nil) {
        self.area = area
        self.subject = subject
        self.severity = severity
        self.message = message
        self.action = action
    }
}
