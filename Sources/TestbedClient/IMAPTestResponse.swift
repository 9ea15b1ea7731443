/// What an ``IMAPTestSession`` command returned.
public struct IMAPTestResponse: Sendable {
    /// `OK`, `NO` or `BAD`.
    public let status: String
    /// The tagged line after the tag, e.g. `OK LOGIN Ok.`.
    public let text: String
    /// Untagged and continuation lines; a NUL marks where a literal was cut out.
    public let untagged: [String]
    /// The literals of the untagged lines, in order.
    public let literals: [[UInt8]]

    public var isOK: Bool { status == "OK" }
}
