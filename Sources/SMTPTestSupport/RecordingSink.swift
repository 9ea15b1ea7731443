import MailModel
import MailTestSupport
import NIOCore
import SMTPCodec
import SMTPServer
import Synchronization

/// A sink that accepts everything (or what `recipientPolicy` allows) and records committed
/// messages: the SMTP server tests' message store, and the relay tests' fake new server.
public final class RecordingSink: MessageSink {
    public struct Message: Sendable {
        public var envelope: MailEnvelope
        public var content: String
    }

    public let messages = Mutex<[Message]>([])
    public let aborts = Mutex(0)
    public let recipientPolicy: @Sendable (ForwardPath) -> SMTPReply
    /// Signalled after each committed message and each aborted transaction, so that tests
    /// wait for deliveries instead of polling ``committed``.
    public let changes = ChangeSignal()

    public init(recipientPolicy: @escaping @Sendable (ForwardPath) -> SMTPReply = { _ in .recipientOK }) {
        self.recipientPolicy = recipientPolicy
    }

    public var committed: [Message] { messages.withLock { $0 } }

    public func makeSession(_ connection: SMTPConnectionInfo) async -> any MessageSinkSession {
        Session(sink: self)
    }

    final class Session: MessageSinkSession {
        let sink: RecordingSink
        var envelope: MailEnvelope?
        var content = ""

        init(sink: RecordingSink) {
            self.sink = sink
        }

        func sender(_ sender: ReversePath, parameters: MailParameters) async -> SMTPReply { .senderOK }
        func recipient(_ recipient: ForwardPath) async -> SMTPReply { sink.recipientPolicy(recipient) }
        func beginMessage(_ envelope: MailEnvelope) async -> SMTPReply? {
            self.envelope = envelope
            content = ""
            return nil
        }
        func messageData(_ chunk: ByteBuffer) async { content += String(buffer: chunk) }
        func commitMessage() async -> SMTPReply {
            let message = Message(envelope: envelope!, content: content)
            sink.messages.withLock { $0.append(message) }
            sink.changes.signal()
            return .ok("Ok: queued")
        }
        func abortTransaction() async {
            sink.aborts.withLock { $0 += 1 }
            sink.changes.signal()
        }
        func close() async {}
    }
}
