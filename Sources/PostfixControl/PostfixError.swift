/// A Postfix command failed or the instance is not in a state we can change safely.
public struct PostfixError: Error, Hashable, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
