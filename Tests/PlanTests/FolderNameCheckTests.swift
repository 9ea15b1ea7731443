import Cutover
import Foundation
import Testing

@testable import Plan

/// Maildir folder names that are not valid UTF-8, found on disk through the old host (here
/// the local one), byte for byte.
@Suite struct FolderNameCheckTests {
    @Test("a folder named with a Latin-1 byte is found and shown escaped; UTF-8, ASCII and plain files are not")
    func invalidFolderNames() async throws {
        let directory = NSTemporaryDirectory() + "mailferry-plan-maildir-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Names with invalid UTF-8 cannot be spelled as Swift strings: printf makes the bytes.
        let host = LocalHost()
        try await host.check(["/bin/sh", "-c", #"cd "$1" && mkdir cur new tmp .Sent ".Caf$(printf '\351')" ".Caf$(printf '\303\251')" && touch ".file$(printf '\377')""#,
                              "sh", directory])
        let check = FolderNameCheck(host: host)
        #expect(try await check.invalidNames(in: directory) == [".Caf\\xE9"])
        #expect(try await check.invalidNames(in: directory + "/nothere") == [])
        #expect(FolderNameCheck.invalidNames([0x2E, 0x41, 0, 0x2E, 0xFF, 0xFE, 0, 0x2E, 0xC3, 0xA9]) == [".\\xFF\\xFE"])
    }
}
