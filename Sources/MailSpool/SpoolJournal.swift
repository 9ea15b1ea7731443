import Foundation

/// Appends the spool's journal lines: `finished.jsonl`, the segments' `.done` files and the
/// entries' `.status` files.
///
/// One append at a time (they are short and never fsynced, so this costs nothing), so that
/// a write the disk cut short can be cut off again without touching another writer's line
/// (`SpoolFile.appendLines`). A write that fails for want of space frees the spool's reserve
/// and is tried once more: recording an outcome must not need more room than finishing the
/// entry gives back (`SpoolReserve`).
final class SpoolJournal: Sendable {
    let reserve: SpoolReserve?
    private let lock = NSLock()

    init(reserve: SpoolReserve?) {
        self.reserve = reserve
    }

    func append(_ path: String, _ bytes: [UInt8]) throws {
        try lock.withLock {
            do {
                try SpoolFile.appendLines(path, bytes)
            } catch let error as SpoolError where error.isOutOfSpace && reserve != nil {
                reserve?.release()
                try SpoolFile.appendLines(path, bytes)
            }
        }
    }
}
