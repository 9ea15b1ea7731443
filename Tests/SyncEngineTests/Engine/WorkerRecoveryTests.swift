import MailModel
import Testing

@testable import SyncEngine

/// A worker's decisions after its sessions failed, without sessions or time: a failure
/// sequence in, the actions out.
@Suite struct WorkerRecoveryTests {
    static let inbox = FolderQueueTests.mapping("INBOX", count: nil)

    static func options(maxAttempts: Int = 4) -> SyncOptions {
        var options = SyncOptions()
        options.maxAttempts = maxAttempts
        options.initialBackoff = .seconds(1)
        options.maxBackoff = .seconds(5)
        return options
    }

    /// The action, written as text for a readable table.
    static func describe(_ action: WorkerRecovery.Action) -> String {
        switch action {
        case .abort(let error): "abort " + ((error as? StoreError)?.kind.rawValue ?? "\(error)")
        case .retryFolder(let mapping, _, let backoff): "retry \(mapping.source.name.name) after \(backoff)"
        case .reconnect(let backoff): "reconnect after \(backoff)"
        }
    }

    /// A failure, with the folder in progress when there was one.
    struct Failure {
        var error: any Error
        var folder: FolderMapping?
        init(_ error: any Error, during folder: FolderMapping? = nil) {
            self.error = error
            self.folder = folder
        }
    }

    static func actions(_ failures: [Failure], maxAttempts: Int = 4) -> [String] {
        var recovery = WorkerRecovery(options: options(maxAttempts: maxAttempts))
        return failures.map { describe(recovery.sessionsFailed($0.error, folder: $0.folder)) }
    }

    static let dropped = StoreError(.connection, "connection reset")

    @Test func aDroppedConnectionDuringAFolderRetriesItWithABackoffThatDoublesUpToTheMaximum() {
        let failure = Failure(Self.dropped, during: Self.inbox)
        #expect(Self.actions(Array(repeating: failure, count: 5)) == [
            "retry INBOX after 1.0 seconds", "retry INBOX after 2.0 seconds", "retry INBOX after 4.0 seconds",
            "retry INBOX after 5.0 seconds", "retry INBOX after 5.0 seconds",
        ])
    }

    @Test func aServerThatCannotBeReachedStopsTheAccountAfterMaxAttempts() {
        #expect(Self.actions(Array(repeating: Failure(Self.dropped), count: 3), maxAttempts: 3) == [
            "reconnect after 1.0 seconds", "reconnect after 2.0 seconds", "abort connection",
        ])
    }

    @Test func aFailureThatIsNoConnectionFailureStopsTheAccountAtOnce() {
        let refused = StoreError(.authentication, "bad password")
        #expect(Self.actions([Failure(refused)]) == ["abort authentication"])
        #expect(Self.actions([Failure(refused, during: Self.inbox)]) == ["abort authentication"])
        #expect(Self.actions([Failure(CancellationError(), during: Self.inbox)]) == ["abort CancellationError()"])
    }

    @Test func failuresCountAcrossFoldersAndReconnects() {
        let failure = Failure(StoreError(.protocolViolation, "BYE"), during: Self.inbox)
        #expect(Self.actions([failure, Failure(Self.dropped), Failure(Self.dropped)], maxAttempts: 3) == [
            "retry INBOX after 1.0 seconds", "reconnect after 2.0 seconds", "abort connection",
        ])
    }
}
