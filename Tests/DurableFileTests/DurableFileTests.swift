import DurableFile
import Foundation
import Testing

/// The one durable-file writer: the whole new content or the old one, exact modes, and
/// nothing left behind when it fails.
@Suite struct DurableFileTests {
    let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("durable-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func entries() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    }

    @Test func replacesTheWholeFileWithTheExactModeAndMtime() throws {
        let path = directory + "/main.cf"
        try "old\n".write(toFile: path, atomically: false, encoding: .utf8)
        let previous = umask(0o077)
        defer { umask(previous) }
        try DurableFile.replace(path, with: Array("new content\n".utf8), options: .init(mode: 0o644, modificationTime: 1_700_000_000))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new content\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o644, "the umask does not narrow the mode")
        #expect((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 == 1_700_000_000)
        #expect(try entries() == ["main.cf"], "no temporary file is left")
    }

    @Test func aTemporaryDirectoryHoldsTheHalfWrittenFile() throws {
        try FileManager.default.createDirectory(atPath: directory + "/tmp", withIntermediateDirectories: true)
        let temporary = DurableFile.temporaryPath(for: directory + "/dovecot-uidlist", in: directory + "/tmp")
        #expect(temporary.hasPrefix(directory + "/tmp/mailferry.") && temporary.hasSuffix(".dovecot-uidlist"))
        #expect(DurableFile.temporaryPath(for: "/a/b", in: nil) != DurableFile.temporaryPath(for: "/a/b", in: nil), "unique per write")
        try DurableFile.replace(directory + "/dovecot-uidlist", with: [UInt8]("3 V1 N1\n".utf8), options: .init(temporaryDirectory: directory + "/tmp"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/tmp").isEmpty)
    }

    @Test func aFailedWriteLeavesTheOldFileAndNoTemporary() throws {
        let path = directory + "/backup"
        try "old\n".write(toFile: path, atomically: false, encoding: .utf8)
        // The temporary directory does not exist: the write fails before touching the target.
        #expect {
            try DurableFile.replace(path, with: Array("new\n".utf8), options: .init(temporaryDirectory: directory + "/missing"))
        } throws: { error in
            guard let error = error as? DurableFileError else { return false }
            return error.operation == "open" && error.path.hasPrefix(directory + "/missing/") && error.errno == ENOENT
                && error.description.contains("No such file")
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
        #expect(try entries() == ["backup"])
    }

    @Test func aContentOfAnyCollectionIsWrittenWhole() throws {
        let path = directory + "/big"
        let bytes = (0..<300_000).lazy.map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try DurableFile.replace(path, with: bytes)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(bytes))
    }

    @Test func createMakesTheFileOnceAndNeverReplacesIt() throws {
        let path = directory + "/mirror-tag.key"
        let previous = umask(0o022)
        defer { umask(previous) }
        #expect(try DurableFile.create(path, with: Array("first\n".utf8), options: .init(mode: 0o600)))
        #expect(try !DurableFile.create(path, with: Array("second\n".utf8), options: .init(mode: 0o600)), "the file was there")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "first\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try entries() == ["mirror-tag.key"], "no temporary file is left, made or not")
    }
}
