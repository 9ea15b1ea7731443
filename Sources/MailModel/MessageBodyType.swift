/// The `BODY=` parameter of `MAIL FROM` (RFC 6152). Binary MIME is not supported.
public enum MessageBodyType: String, Hashable, Sendable, Codable, CustomStringConvertible {
    case sevenBit = "7BIT"
    case eightBitMIME = "8BITMIME"

    public var description: String { rawValue }
}
