/// What a ``POP3TestSession`` command returned.
public struct POP3TestResponse: Sendable {
    /// The status line without its indicator: `Logged in.` for `+OK Logged in.`.
    public let text: String
    /// Whether the server said `+OK` (else `-ERR`).
    public let isOK: Bool
    /// A multi-line response's lines, dot-unstuffed, without the final `.`; empty otherwise.
    public let lines: [String]
}
