import Foundation
import MailSpool
import Relay
import Testing

/// Issue 12.2: the tag is a MAC only the mirror's key can make, checked on its first line.
@Suite struct MirrorTagTests {
    static let id = QueueID("066160ACCB65B7-E01438F7")!
    static let tag = MirrorTag(key: Array(repeating: 7, count: 32))

    @Test func verifiesItsOwnTagOnly() throws {
        let value = Self.tag.value(for: Self.id)
        #expect(value.hasPrefix("066160ACCB65B7-E01438F7; mac="))
        #expect(Self.tag.verify(value) == Self.id)
        #expect(Self.tag.verify(" \(value) ") == Self.id)
        let otherKey = MirrorTag(key: Array(repeating: 8, count: 32))
        #expect(otherKey.verify(value) == nil, "another mirror's key")
        let forged: [String] = [
            "066160ACCB65B7-E01438F7",  // the format every copy had before: no MAC
            "066160ACCB65B7-E01438F8; mac=\(value.split(separator: "=")[1])",  // the MAC of another id
            value.dropLast() + "0", value + "0", value + " extra", "", "; mac=",
        ]
        for text in forged { #expect(Self.tag.verify(text) == nil, "\(text)") }
    }

    @Test(arguments: [
        // (header section, verifies)
        ("X-Mailferry-Mirror: VALUE\r\nSubject: x\r\n\r\n", true),
        ("Return-Path: <b@x>\r\nx-mailferry-mirror:VALUE\r\n\r\n", true),
        // A continuation line after the tag is not part of what is checked.
        ("X-Mailferry-Mirror: VALUE\r\n folded text\r\n\r\n", true),
        ("X-Mailferry-Mirror: VALUE\r\nX-Mailferry-Mirror: VALUE\r\n\r\n", false),
        ("X-Mailferry-Mirror: 066160ACCB65B7-E01438F7\r\n\r\n", false),
        ("X-Mailferry-Mirror-Original: VALUE\r\n\r\n", false),
        ("Subject: x\r\n\r\nX-Mailferry-Mirror: VALUE\r\n", false),
    ])
    func verifiesExactlyOneTagField(header: String, verifies: Bool) {
        let text = header.replacingOccurrences(of: "VALUE", with: Self.tag.value(for: Self.id))
        #expect((Self.tag.verifyHeader(Array(text.utf8)) == Self.id) == verifies)
    }

    /// The key is made once, 0600, and read back the same; a key others can read is refused.
    @Test func keyFileIsPrivateAndStable() throws {
        let directory = NSTemporaryDirectory() + "mailferry-tag-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try MirrorTag.loadOrCreate(spoolDirectory: directory)
        let path = MirrorTag.keyPath(spoolDirectory: directory)
        let mode = try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        let again = try MirrorTag.loadOrCreate(spoolDirectory: directory)
        #expect(again.verify(first.value(for: Self.id)) == Self.id)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == [MirrorTag.keyFileName], "no temporary file left")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(throws: RelayFileError.self) { try MirrorTag.load(keyFile: path) }
    }
}
