/// One go/no-go check: what was checked, whether it passed, and what was seen.
public struct CutoverCheck: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var passed: Bool
    public var detail: String

    public init(_ name: String, passed: Bool, detail: String) {
        self.name = name
        self.passed = passed
        self.detail = detail
    }

    public var description: String { "[\(passed ? "ok" : "NO-GO")] \(name): \(detail)" }
}
