public import MailModel

/// A message to deliver: its envelope and its exact bytes (CRLF lines, not dot-stuffed).
public struct SMTPOutgoingMessage: Sendable {
    public var envelope: MailEnvelope
    public var content: ArraySlice<UInt8>
    public var contains8Bit: Bool

    public init(envelope: MailEnvelope, content: ArraySlice<UInt8>, contains8Bit: Bool? = nil) {
        self.envelope = envelope
        self.content = content
        self.contains8Bit = contains8Bit ?? content.contains { $0 >= 0x80 }
    }
}
