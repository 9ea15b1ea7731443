import IMAPClient
import NIOCore
import SyncEngine

extension MessageBodySink {
    /// Feeds one step of a streamed IMAP body fetch to the sink; returns the message's
    /// attributes when its FETCH response is complete.
    func receive(_ event: BodyFetchEvent) throws -> FetchedMessage? {
        switch event {
        case .begin(_, let uid, let byteCount):
            guard let uid else { throw StoreError(.protocolViolation, "the server sent a message body before its UID") }
            try begin(uid: uid, size: byteCount)
        case .bytes(let buffer):
            try buffer.withUnsafeReadableBytes { try append($0) }
        case .end(let message):
            try end()
            return message
        }
        return nil
    }
}
