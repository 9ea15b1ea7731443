import Foundation
import MailModel
import Testing
@testable import Maildir

/// Presyncs while Postfix still delivers: Courier numbers every unnumbered file at its next
/// scan in its file name order (delivery second first, then the rest of the name: for
/// Postfix's `local`, device and inode before the microseconds), so a file that arrives later
/// in the same second can sort before one mailferry numbered already. `settleSeconds` leaves
/// such recent files for a later run, so the final numbering is Courier's.
@Suite("Courier settle window")
struct CourierSettleTests {
    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("courier-settle-\(UUID().uuidString)").path
        for directory in ["cur", "new", "tmp"] {
            try FileManager.default.createDirectory(atPath: root + "/" + directory, withIntermediateDirectories: true)
        }
    }

    func deliver(_ name: String) throws {
        try Data("Subject: \(name)\n\nx\n".utf8).write(to: URL(fileURLWithPath: root + "/new/" + name))
    }

    /// Read INBOX as a UID-keeping sync does at `now`, carrying the ledger from run to run.
    func read(now: Int64, settle: Int64, ledger: inout CourierUIDDatabase?) throws -> [String: UInt32] {
        let maildir = try CourierMaildir(root: root, options: .init(settleSeconds: settle))
        let snapshot = try maildir.read(maildir.inbox, ledger: ledger, now: now)
        ledger = snapshot.ledger
        var uids: [String: UInt32] = [:]
        for message in snapshot.messages { if let uid = message.uid { uids[message.file.base] = uid.rawValue } }
        return uids
    }

    /// What Courier itself gives at its next scan of the same files (no database yet).
    func courierNumbering() throws -> [String: UInt32] {
        let scan = try MessageDirectoryScanner.scan(folder: root)
        let assignment = try CourierUIDAssignment.assign(database: nil, entries: scan.entries, assignNew: true, path: root)
        var uids: [String: UInt32] = [:]
        for message in assignment.messages { uids[message.entry.base] = message.uid!.rawValue }
        return uids
    }

    // Postfix local(8) names: <second>.V<dev>I<inode>M<usec>.<host>; inode 2a is delivered
    // first, inode 1f later in the same second, and sorts first.
    let first = "1765000000.V801I2aM100.old"
    let second = "1765000000.V801I1fM900000.old"
    let earlier = "1764999990.V801I3bM5.old"

    @Test func aPresyncWithoutSettleNumbersAheadOfCourierAndDiverges() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try deliver(earlier)
        try deliver(first)
        var ledger: CourierUIDDatabase?
        #expect(try read(now: 1_765_000_000, settle: 0, ledger: &ledger) == [earlier: 1, first: 2])
        try deliver(second)
        let final = try read(now: 1_765_000_010, settle: 0, ledger: &ledger)
        // Courier would give `second` UID 2 and `first` UID 3: the copies would disagree.
        #expect(try courierNumbering() == [earlier: 1, second: 2, first: 3])
        #expect(final != (try courierNumbering()))
    }

    @Test func aPresyncWithSettleLeavesTheRecentSecondAndTheFinalPassMatchesCourier() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try deliver(earlier)
        try deliver(first)
        var ledger: CourierUIDDatabase?
        let presync = try read(now: 1_765_000_000, settle: 5, ledger: &ledger)
        #expect(presync == [earlier: 1])
        #expect(ledger?.nextUID == 2)
        try deliver(second)
        // The final pass (delivery held) numbers everything, on top of the presync's ledger.
        let final = try read(now: 1_765_000_010, settle: 0, ledger: &ledger)
        #expect(final == [earlier: 1, second: 2, first: 3])
        #expect(final == (try courierNumbering()))
    }

    @Test func everythingAfterTheFirstUnsettledFileWaitsToo() throws {
        let entries = [
            MaildirFileEntry(location: .new, name: "100.a", size: 1, modificationTime: 0),
            MaildirFileEntry(location: .cur, name: "200.b:2,S", size: 1, modificationTime: 0),
            MaildirFileEntry(location: .new, name: "300.c", size: 1, modificationTime: 0),
        ]
        let result = try CourierUIDAssignment.assign(database: nil, entries: entries, assignNew: true, path: "/m", settledBefore: 200)
        #expect(result.messages.map { $0.uid?.rawValue } == [1, nil, nil])
        #expect(result.nextUID.rawValue == 2)
        #expect(result.diagnostics.map(\.code) == [.uidDeferred])
    }
}
