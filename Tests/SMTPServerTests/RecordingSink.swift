import MailModel
import NIOCore
import SMTPCodec
import SMTPServer
import Synchronization

/// A sink that accepts everything (or what `policy` allows) and records committed messages.
final class RecordingSink: MessageSink {
    struct Message: Sendable {
        var envelope: MailEnvelope
        var content: String
    }

    let messages = Mutex<[Message]>([])
    let aborts = Mutex(0)
    let recipientPolicy: @Sendable (ForwardPath) -> SMTPReply
    let commitDelay: Duration

    init(commitDelay: Duration = .zero, recipientPolicy: @escaping @Sendable (ForwardPath) -> SMTPReply = { _ in .recipientOK }) {
        self.recipientPolicy = recipientPolicy
        self.commitDelay = commitDelay
    }

    var committed: [Message] { messages.withLock { $0 } }

    func makeSession(_ connection: SMTPConnectionInfo) async -> any MessageSinkSession {
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
            if sink.commitDelay > .zero { try? await Task.sleep(for: sink.commitDelay) }
            let message = Message(envelope: envelope!, content: content)
            sink.messages.withLock { $0.append(message) }
            return .ok("Ok: queued")
        }
        func abortTransaction() async { sink.aborts.withLock { $0 += 1 } }
        func close() async {}
    }
}
