import Foundation
import Testing

@testable import PostfixControl

/// The writer behind `postfix mirror --apply`'s maps and the backup `postfix restore` reads.
@Suite struct AtomicFileTests {
    @Test func replacesTheFileWholeWithExactPermissionsAndNoTemporaryLeft() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/backup"
        try AtomicFile.write(Data("old\n".utf8), to: path)
        try AtomicFile.write(Data("new content\n".utf8), to: path, permissions: 0o600)
        #expect(FileManager.default.contents(atPath: path) == Data("new content\n".utf8))
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["backup"])
    }

    @Test func aMissingDirectoryIsAnErrorNamingThePath() {
        #expect { try AtomicFile.write(Data("x".utf8), to: "/nonexistent-\(UUID().uuidString)/backup") } throws: {
            "\($0)".contains("cannot open") && "\($0)".contains("backup.tmp")
        }
    }
}
