import Foundation
import Logging
import Maildir
import StateStore
import SyncBackends
import SyncEngine

/// One mailferry run, Courier Maildir → Dovecot Maildir, in process, as `mailferry sync`
/// runs it (same stores, same engine, a state directory of its own).
struct BenchMaildirSync {
    let source: String
    let destination: String
    /// Owner of what is written (Dovecot's mail user), as `--owner`.
    let owner: MaildirOwnership
    let state: String
    let account: String

    /// Wall-clock seconds of a run that must copy `expecting` messages.
    func timed(expecting: Int) async throws -> Double {
        let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        let board = POP3IdentityBoard()
        var options = SyncOptions()
        options.temporaryDirectory = state + "/tmp"
        options.memoryThreshold = DovecotMaildirStore.stagingMemoryThreshold  // as mailferry sync sets it for this destination
        try FileManager.default.createDirectory(atPath: options.temporaryDirectory, withIntermediateDirectories: true)
        let sync = AccountSync(
            account: account,
            source: CourierMaildirStore(root: source, ledger: CourierUIDLedgerStore(directory: state + "/maildir-uids"), pop3Board: board, logger: logger),
            destination: DovecotMaildirStore(root: destination, owner: owner, pop3Board: board, logger: logger),
            store: try SQLiteStateStore(directory: state), options: options)
        let start = ContinuousClock.now
        let report = await sync.run()
        let elapsed = ContinuousClock.now - start
        guard report.outcome == .complete, report.copied == expecting else {
            throw BenchError("mailferry copied \(report.copied) of \(expecting): \(report.error ?? "") \(report.folders.compactMap(\.error))")
        }
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
