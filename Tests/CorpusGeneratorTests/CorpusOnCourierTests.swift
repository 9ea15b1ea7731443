import CorpusGenerator
import Foundation
import MailModel
import MailTestSupport
import Testing

/// The generated Maildir is what the real Courier serves: every folder listed under its
/// modified UTF-7 name, subscriptions, counts, flags, keywords, INTERNALDATE and the bytes
/// (LF on disk, CRLF on the wire) exactly as the manifest says.
@Suite(.tags(.integration), .requiresTestbed)
struct CorpusOnCourierTests {
    @Test func courierServesTheCorpusAsTheManifestSays() async throws {
        let testbed = try Testbed.require()
        let user = try await testbed.makeAccount(prefix: "corpus")
        let profile = CorpusProfile(messages: 60, largeMessages: 1, folders: 14, largeMaxBytes: 1_048_576)
        let manifest = try CorpusWriter(profile: profile, seed: 11, user: user.name)
            .write(into: user.oldMaildir, owner: try CorpusOwner.lookup(user.name), replace: true)

        let imap = try await IMAPTestSession(testbed.old.imap, timeout: 30)
        try #require(try await imap.login(user.name, try user.password()).isOK)
        let list = try await imap.command(#"LIST "" "*""#).untagged
        let lsub = try await imap.command(#"LSUB "" "*""#).untagged
        for folder in manifest.folders {
            let wire = ModifiedUTF7.encode(folder.name)
            let named: (String) -> Bool = { $0.hasSuffix("\"\(wire)\"") || $0.hasSuffix(" \(wire)") }
            #expect(list.contains(where: named), "LIST lacks \(folder.name) (\(wire))")
            #expect(lsub.contains(where: named) == (folder.subscribed || folder.name == "INBOX"), "LSUB of \(folder.name)")
        }
        for folder in manifest.folders {
            try await checkFolder(folder, imap: imap)
        }
    }

    func checkFolder(_ folder: CorpusManifest.Folder, imap: IMAPTestSession) async throws {
        let select = try await imap.command("SELECT \(IMAPTestSession.quoted(ModifiedUTF7.encode(folder.name)))")
        try #require(select.isOK, "\(folder.name): \(select.text)")
        #expect(select.untagged.contains("* \(folder.messages.count) EXISTS"), "\(folder.name)")
        guard !folder.messages.isEmpty else { return }
        let fetch = try await imap.command("FETCH 1:* (FLAGS INTERNALDATE BODY.PEEK[])")
        try #require(fetch.isOK)
        let lines = fetch.untagged.filter { $0.contains(" FETCH (") }
        try #require(lines.count == folder.messages.count && fetch.literals.count == lines.count)

        var expected = Dictionary(grouping: folder.messages, by: \.sha256)
        for (line, literal) in zip(lines, fetch.literals) {
            // Courier sends the LF file with CRLF line ends; undo that to hash the file bytes.
            let fileBytes = Self.crlfToLF(literal)
            let sha = MessageFingerprint.of(fileBytes).hex
            guard var candidates = expected[sha], let message = candidates.popLast() else {
                Issue.record("\(folder.name): a message Courier serves is not in the manifest (\(fileBytes.count) bytes)")
                continue
            }
            expected[sha] = candidates
            let flags = Set(Self.flags(in: line).filter { $0 != "\\Recent" }.map(Flag.init))
            #expect(flags == Set((message.flags + message.keywords).map(Flag.init)), "\(folder.name) \(message.file)")
            let date = Self.internalDate(in: line)
            #expect(date?.secondsSince1970 == message.internalDate, "\(folder.name) \(message.file)")
        }
        #expect(expected.values.allSatisfy { $0.isEmpty }, "\(folder.name): manifest messages Courier did not serve")
    }

    static func crlfToLF(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for (i, byte) in bytes.enumerated() where !(byte == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A) {
            out.append(byte)
        }
        return out
    }

    static func flags(in line: String) -> [String] {
        guard let start = line.range(of: "FLAGS (") else { return [] }
        let rest = line[start.upperBound...]
        guard let end = rest.firstIndex(of: ")") else { return [] }
        return rest[..<end].split(separator: " ").map(String.init)
    }

    static func internalDate(in line: String) -> InternalDate? {
        guard let start = line.range(of: "INTERNALDATE \"") else { return nil }
        let rest = line[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return InternalDate(imapString: String(rest[..<end]))
    }
}
