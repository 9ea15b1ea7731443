/// One go/no-go check: what was checked, whether it passed, and what was seen. A check that
/// is not `blocking` is a warning: it is shown, but the cutover may go ahead without it.
public struct CutoverCheck: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var passed: Bool
    public var detail: String
    public var blocking: Bool

    public init(_ name: String, passed: Bool, detail: String, blocking: Bool = true) {
        self.name = name
        self.passed = passed
        self.detail = detail
        self.blocking = blocking
    }

    /// `ok`, `NO-GO` (a blocker failed) or `warning`.
    public var verdict: String { passed ? "ok" : blocking ? "NO-GO" : "warning" }

    public var description: String { "[\(verdict)] \(name): \(detail)" }
}
