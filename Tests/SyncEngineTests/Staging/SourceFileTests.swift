import Foundation
import Glibc
import MailModel
import Testing

import SyncEngine

/// A source's own message file held open: staged without a copy, read again when appended,
/// and still readable after the source renamed or removed it.
@Suite struct SourceFileTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sourcefile-\(UUID().uuidString)").path

    func open(_ name: String, _ bytes: [UInt8]) throws -> SourceFile {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = "\(directory)/\(name)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        try #require(descriptor >= 0)
        return SourceFile(descriptor: descriptor, size: bytes.count, path: path)
    }

    /// 200 KB: more than one 64 KiB chunk, and past the 8 KB kept for reports.
    static let message: [UInt8] = Array("Subject: held open\r\n\r\n".utf8) + (0..<200_000).map { UInt8(truncatingIfNeeded: $0 % 251) }

    @Test func theStagerKeepsTheFileAndItsFingerprintAndHeaderWithoutACopy() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let stager = MessageStager(temporaryDirectory: directory, memoryThreshold: 100, memoryBudget: 100)
        try stager.adopt(uid: UID(exactly: 7), file: try open("m", Self.message))
        let staged = try #require(stager.takeStaged().first)
        guard case .source = staged.body else { Issue.record("staged as \(staged.body)"); return }
        #expect(staged.uid == UID(exactly: 7) && staged.size == Self.message.count)
        #expect(staged.fingerprint == MessageFingerprint.of(Self.message))
        #expect(staged.headerPrefix == Array(Self.message.prefix(MessageStager.headerPrefixLimit)))
        // Read twice: once for the destination, once more (a batch repeated).
        #expect(try staged.body.readAll() == Self.message)
        #expect(try staged.body.readAll() == Self.message)
    }

    @Test func aRenamedOrRemovedFileIsStillReadThroughItsDescriptor() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = try open("cur-msg:2,", Self.message)
        try FileManager.default.moveItem(atPath: "\(directory)/cur-msg:2,", toPath: "\(directory)/cur-msg:2,S")
        #expect(try StagedBody.source(file).readAll() == Self.message)
        try FileManager.default.removeItem(atPath: "\(directory)/cur-msg:2,S")
        #expect(try StagedBody.source(file).readAll() == Self.message)
    }

    /// Maildir files are never rewritten: one that changed size is not the listed message.
    @Test func aFileThatShrankOrGrewIsASizeMismatch() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let shrunk = try open("a", Self.message)
        truncate(shrunk.path, 1000)
        #expect { try StagedBody.source(shrunk).readAll() } throws: { ($0 as? StagingError)?.kind == .sizeMismatch }
        let grown = try open("b", Self.message)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: grown.path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("more".utf8))
        try handle.close()
        let stager = MessageStager(temporaryDirectory: directory)
        #expect { try stager.adopt(uid: UID(exactly: 1), file: grown) } throws: { ($0 as? StagingError)?.kind == .sizeMismatch }
    }

    /// A sink that keeps no bodies gets the file streamed through begin, append and end.
    @Test func theDefaultAdoptStreamsTheFileToAnySink() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sink = HashingSink()
        try sink.adopt(uid: UID(exactly: 3), file: try open("h", Self.message))
        #expect(sink.fingerprints[UID(exactly: 3)] == MessageFingerprint.of(Self.message))
    }
}
