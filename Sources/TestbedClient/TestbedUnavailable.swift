/// Why a test that needs the testbed cannot use it. Its description says how to fix it.
public struct TestbedUnavailable: Error, CustomStringConvertible, Sendable {
    public let reason: String

    public init(reason: String) {
        self.reason = reason
    }

    public var description: String { "testbed unavailable: \(reason)" }
}
