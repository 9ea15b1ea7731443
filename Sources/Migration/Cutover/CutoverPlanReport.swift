/// `mailferry cutover plan`: every step still to come, with the exact commands it runs on
/// each host, the go/no-go checks, and what a rollback would do now.
public struct CutoverPlanReport: Codable, Hashable, Sendable {
    public struct Step: Codable, Hashable, Sendable {
        public var step: String
        public var phase: String
        public var summary: String
        /// `old`, `new` or `mailboxes` (the sync and verify passes).
        public var host: String
        public var commands: [String]
    }

    public struct Check: Codable, Hashable, Sendable {
        public var name: String
        public var passed: Bool
        public var detail: String
        /// False for a warning: shown, but the cutover may go ahead.
        public var blocking: Bool = true

        /// `ok`, `NO-GO` or `warning`.
        public var verdict: String { passed ? "ok" : blocking ? "NO-GO" : "warning" }
    }

    public var run: String
    public var oldHost: String
    public var steps: [Step]
    public var checks: [Check]
    public var rollbackRefusal: String?
    public var rollbackSteps: [Step]

    /// Go when every check passed.
    public var go: Bool { checks.allSatisfy { $0.passed || !$0.blocking } }
}
