import MailSpool
import Synchronization

/// Messages committed from memory and not yet taken by a worker, with their bytes: the
/// first attempt sends those instead of reading the record back, parsing its envelope and
/// hashing its body again, per message. Bounded by bytes; a message that does not fit, or
/// one never taken here, is read from the spool.
final class FreshMessages: Sendable {
    struct State: Sendable {
        var messages: [QueueID: CommittedMessage] = [:]
        var bytes = 0
    }

    /// Bytes held at most: enough for the messages of a busy second on a fast next hop,
    /// a bounded cost while it is slow or down (they wait there until taken or dropped).
    let limit: Int
    private let state = Mutex(State())

    init(limit: Int = 8 * 1024 * 1024) {
        self.limit = limit
    }

    /// Keep `message`'s bytes for its first attempt, if it has them and they fit.
    func put(_ message: CommittedMessage) {
        guard let body = message.contents?.body else { return }
        state.withLock { state in
            guard state.messages[message.id] == nil, state.bytes + body.count <= limit else { return }
            state.messages[message.id] = message
            state.bytes += body.count
        }
    }

    /// The committed message of `id`, removed; nil if none is held.
    func take(_ id: QueueID) -> CommittedMessage? {
        state.withLock { state in
            guard let message = state.messages.removeValue(forKey: id) else { return nil }
            state.bytes -= message.contents?.body.count ?? 0
            return message
        }
    }

    var heldBytes: Int { state.withLock { $0.bytes } }
}
