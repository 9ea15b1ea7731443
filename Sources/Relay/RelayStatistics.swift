import MailSpool
import Synchronization

/// Counters of recipient verdicts since start, for logs and tests.
public final class RelayStatistics: Sendable {
    public struct Snapshot: Hashable, Sendable {
        public var delivered = 0
        public var deferred = 0
        public var failed = 0
    }

    private let state = Mutex(Snapshot())

    public var snapshot: Snapshot { state.withLock { $0 } }

    func count(_ recipientState: RecipientState) {
        state.withLock { snapshot in
            switch recipientState {
            case .delivered: snapshot.delivered += 1
            case .deferred: snapshot.deferred += 1
            case .failed: snapshot.failed += 1
            case .pending: break
            }
        }
    }
}
