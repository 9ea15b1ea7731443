/// `resp-text = ["[" resp-text-code "]" SP] text`: an optional machine-readable code and
/// the human-readable text.
public struct ResponseText: Hashable, Sendable {
    public var code: ResponseCode?
    /// Human-readable text; decoded as UTF-8 with invalid bytes replaced.
    public var text: String

    public init(code: ResponseCode? = nil, text: String) {
        self.code = code
        self.text = text
    }
}
