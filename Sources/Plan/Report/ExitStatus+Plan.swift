import Migration

extension ExitStatus {
    /// A plan's exit status: blockers are problems (1); warnings alone do not fail it, so a
    /// script can run `mailferry plan` as a gate before `mailferry cutover`.
    public init(_ severity: PlanFinding.Severity) {
        switch severity {
        case .ok, .warning: self = .success
        case .blocker: self = .partial
        }
    }
}
