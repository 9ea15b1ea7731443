/// Limits and modes of a ``ResponseParser``. Defaults come from ``IMAPDefaults``.
public struct ResponseParserOptions: Hashable, Sendable {
    /// See ``IMAPDefaults/lineLengthLimit``.
    public var lineLengthLimit: Int
    /// See ``IMAPDefaults/literalSizeLimit``.
    public var literalSizeLimit: Int
    /// See ``IMAPDefaults/streamedLiteralSizeLimit``.
    public var streamedLiteralSizeLimit: UInt64
    /// See ``IMAPDefaults/nestingDepthLimit``.
    public var nestingDepthLimit: Int
    /// See ``IMAPDefaults/bodyChunkSize``.
    public var bodyChunkSize: Int
    /// Whether the first response is the server greeting (true for a fresh connection).
    public var expectGreeting: Bool

    public init(
        lineLengthLimit: Int = IMAPDefaults.lineLengthLimit,
        literalSizeLimit: Int = IMAPDefaults.literalSizeLimit,
        streamedLiteralSizeLimit: UInt64 = IMAPDefaults.streamedLiteralSizeLimit,
        nestingDepthLimit: Int = IMAPDefaults.nestingDepthLimit,
        bodyChunkSize: Int = IMAPDefaults.bodyChunkSize,
        expectGreeting: Bool = true
    ) {
        precondition(lineLengthLimit > 0 && literalSizeLimit >= 0 && nestingDepthLimit > 0 && bodyChunkSize > 0)
        self.lineLengthLimit = lineLengthLimit
        self.literalSizeLimit = literalSizeLimit
        self.streamedLiteralSizeLimit = streamedLiteralSizeLimit
        self.nestingDepthLimit = nestingDepthLimit
        self.bodyChunkSize = bodyChunkSize
        self.expectGreeting = expectGreeting
    }
}
