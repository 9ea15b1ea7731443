import Foundation
import MailModel
import Testing

import SyncEngine

@Suite struct MessageStagerTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stager-\(UUID().uuidString)").path

    func stage(_ stager: MessageStager, uid: UInt32, size: Int) throws {
        try stager.begin(uid: UID(exactly: uid), size: size)
        let bytes = [UInt8](repeating: UInt8(truncatingIfNeeded: uid), count: size)
        try bytes.withUnsafeBytes { try stager.append($0) }
        try stager.end()
    }

    func isInMemory(_ message: StagedMessage) -> Bool {
        if case .memory = message.body { return true }
        return false
    }

    @Test func messagesAboveTheThresholdGoToFiles() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let stager = MessageStager(temporaryDirectory: directory, memoryThreshold: 100)
        try stage(stager, uid: 1, size: 100)
        try stage(stager, uid: 2, size: 101)
        let staged = stager.takeStaged()
        #expect(staged.map(isInMemory) == [true, false])
        #expect(try staged[1].body.readAll() == [UInt8](repeating: 2, count: 101))
    }

    @Test func beyondTheMemoryBudgetSmallMessagesGoToFilesToo() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let stager = MessageStager(temporaryDirectory: directory, memoryThreshold: 100, memoryBudget: 250)
        for uid in 1...4 { try stage(stager, uid: UInt32(uid), size: 100) }
        let staged = stager.takeStaged()
        #expect(staged.map(isInMemory) == [true, true, false, false])
        for (index, message) in staged.enumerated() {
            #expect(try message.body.readAll() == [UInt8](repeating: UInt8(index + 1), count: 100))
            #expect(message.fingerprint == MessageFingerprint.of([UInt8](repeating: UInt8(index + 1), count: 100)))
        }
        // Taking the staged messages frees the budget for the next batch.
        try stage(stager, uid: 5, size: 100)
        #expect(stager.takeStaged().map(isInMemory) == [true])
    }

    @Test func anInterruptedMessageGivesItsBudgetBack() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let stager = MessageStager(temporaryDirectory: directory, memoryThreshold: 100, memoryBudget: 150)
        try stager.begin(uid: UID(exactly: 1), size: 100)
        stager.discardCurrent()
        try stage(stager, uid: 2, size: 100)
        #expect(stager.takeStaged().map(isInMemory) == [true])
    }

    @Test func theStartOfEveryMessageIsKeptForReports() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let stager = MessageStager(temporaryDirectory: directory, memoryThreshold: 20_000)
        for (uid, size) in [(1, 100), (2, 30_000)] {
            let text = Array("Subject: message \(uid)\r\n\r\n".utf8)
            let bytes = text + [UInt8](repeating: UInt8(ascii: "x"), count: size - text.count)
            try stager.begin(uid: UID(exactly: UInt32(uid)), size: bytes.count)
            // In pieces smaller than the prefix, so that it is assembled across appends.
            for start in stride(from: 0, to: bytes.count, by: 7) {
                try bytes[start..<min(start + 7, bytes.count)].withUnsafeBytes { try stager.append($0) }
            }
            try stager.end()
        }
        let staged = stager.takeStaged()
        #expect(staged.map(isInMemory) == [true, false])
        #expect(staged[0].headerPrefix.count == 100)
        #expect(staged[1].headerPrefix.count == MessageStager.headerPrefixLimit)
        for (index, message) in staged.enumerated() {
            #expect(MessageHeaders(prefix: message.headerPrefix).subject == "message \(index + 1)")
        }
    }
}
