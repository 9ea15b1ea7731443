@testable import CorpusGenerator
import Foundation
import MailModel
import Testing

@Suite struct CorpusWriterTests {
    static let profile = CorpusProfile(messages: 40, largeMessages: 1, folders: 14, largeMaxBytes: 1_048_576)

    static func temporaryMaildir() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("corpus-\(UUID().uuidString)/Maildir").path
    }

    static func generate(seed: UInt64 = 7, into root: String = temporaryMaildir()) throws -> (root: String, manifest: CorpusManifest) {
        let manifest = try CorpusWriter(profile: profile, seed: seed, user: "tbalice").write(into: root, owner: nil, replace: false)
        return (root, manifest)
    }

    /// Every file under `root`: relative path -> (bytes, mtime).
    static func snapshot(_ root: String) throws -> [String: (Data, Date)] {
        var result: [String: (Data, Date)] = [:]
        let enumerator = try #require(FileManager.default.enumerator(atPath: root))
        while let path = enumerator.nextObject() as? String {
            let full = root + "/" + path
            let attributes = try FileManager.default.attributesOfItem(atPath: full)
            guard attributes[.type] as? FileAttributeType == .typeRegular else { continue }
            result[path] = (try Data(contentsOf: URL(fileURLWithPath: full)), attributes[.modificationDate] as? Date ?? .distantPast)
        }
        return result
    }

    @Test func sameSeedGivesByteIdenticalMaildirsAndManifests() throws {
        let a = try Self.generate()
        let b = try Self.generate()
        defer { try? FileManager.default.removeItem(atPath: a.root); try? FileManager.default.removeItem(atPath: b.root) }
        #expect(a.manifest == b.manifest)
        let sa = try Self.snapshot(a.root)
        let sb = try Self.snapshot(b.root)
        #expect(Set(sa.keys) == Set(sb.keys))
        for (path, (bytes, mtime)) in sa {
            #expect(sb[path]?.0 == bytes, "\(path) differs")
            // Messages carry their INTERNALDATE as mtime; metadata files are simply "now".
            let isMessage = path.hasPrefix("cur/") || path.hasPrefix("new/") || path.contains("/cur/") || path.contains("/new/")
            if isMessage { #expect(sb[path]?.1 == mtime, "\(path) mtime differs") }
        }
        let other = try Self.generate(seed: 8)
        defer { try? FileManager.default.removeItem(atPath: other.root) }
        #expect(other.manifest.folders.flatMap(\.messages).map(\.sha256) != a.manifest.folders.flatMap(\.messages).map(\.sha256))
    }

    @Test func manifestMatchesTheFilesOnDisk() throws {
        let (root, manifest) = try Self.generate()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var count = 0
        for folder in manifest.folders {
            let dir = folder.directory.isEmpty ? root : root + "/" + folder.directory
            for message in folder.messages {
                let path = dir + "/" + message.file
                let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
                #expect(MessageFingerprint.of(bytes).hex == message.sha256)
                #expect(bytes.count == message.size)
                #expect(message.file.contains(",S=\(bytes.count)"))
                let mtime = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
                #expect(mtime.map { Int64($0.timeIntervalSince1970) } == message.internalDate)
                count += 1
            }
        }
        #expect(count == manifest.totalMessages && count == 40)
    }

    @Test func courierLayout() throws {
        let (root, manifest) = try Self.generate()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let fm = FileManager.default
        // UTF-8 folder names on disk, nested folders as dotted names, maildirfolder markers.
        for directory in [".Archive.2019", ".Entwürfe", ".日本語", ".Family & Friends", ".Ünïcödé.Sub Folder", ".Lists.debian-user"] {
            #expect(fm.fileExists(atPath: "\(root)/\(directory)/maildirfolder"), "\(directory)")
            #expect(fm.fileExists(atPath: "\(root)/\(directory)/cur"))
        }
        #expect(!fm.fileExists(atPath: "\(root)/.Lists"))  // a hierarchy node without a maildir
        #expect(manifest.folders.count == 15)
        // Subscriptions: full IMAP names; unsubscribed folders left out; a stale entry kept.
        let subscribed = try String(contentsOfFile: root + "/courierimapsubscribed", encoding: .utf8)
        let lines = subscribed.split(separator: "\n").map(String.init)
        #expect(lines.first == "INBOX")
        #expect(lines.contains("INBOX.Archive.2019") && lines.contains("INBOX.Entwürfe"))
        #expect(!lines.contains("INBOX.Junk"))
        #expect(lines.contains(FolderCatalog.staleSubscription))
        // Flags in the info suffix match the manifest; new/ files have none.
        for message in manifest.folders.flatMap(\.messages) {
            if message.file.hasPrefix("new/") {
                #expect(!message.file.contains(":2,") && message.flags.isEmpty)
            } else {
                let letters = String(try #require(message.file.split(separator: ":2,", omittingEmptySubsequences: false).last))
                #expect(CorpusManifest.imapFlags(letters) == message.flags)
            }
        }
    }

    @Test func keywordsAreInCourierListFormat() throws {
        let profile = CorpusProfile(messages: 200, largeMessages: 0, folders: 4)
        let root = Self.temporaryMaildir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let manifest = try CorpusWriter(profile: profile, seed: 2, user: "tbbob").write(into: root, owner: nil, replace: false)
        let junk = try #require(manifest.folders.first { $0.name == "INBOX.Junk" })
        #expect(!junk.messages.isEmpty && junk.messages.allSatisfy { $0.keywords.contains("Junk") })
        let list = try String(contentsOfFile: root + "/.Junk/courierimapkeywords/:list", encoding: .utf8)
        let parts = list.components(separatedBy: "\n\n")
        let names = parts[0].split(separator: "\n").map(String.init)
        #expect(names.contains("Junk"))
        for message in junk.messages {
            let base = String(message.file.dropFirst(4).split(separator: ":").first ?? "")
            let line = try #require(parts[1].split(separator: "\n").first { $0.hasPrefix(base + ":") })
            let indexes = line.split(separator: ":").last!.split(separator: " ").compactMap { Int($0) }
            #expect(indexes.map { names[$0] } == message.keywords)
        }
    }

    @Test func edgeCasesAreInTheBytes() throws {
        let (root, manifest) = try Self.generate()
        defer { try? FileManager.default.removeItem(atPath: root) }
        func bytes(_ edge: EdgeCase) throws -> [[UInt8]] {
            try manifest.folders.flatMap { folder in
                try folder.messages.filter { $0.edgeCases.contains(edge) }.map { message in
                    let dir = folder.directory.isEmpty ? root : root + "/" + folder.directory
                    return try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/" + message.file)))
                }
            }
        }
        func header(_ message: [UInt8]) -> [UInt8] {
            let end = (0..<max(0, message.count - 1)).first { message[$0] == 0x0A && message[$0 + 1] == 0x0A } ?? message.count
            return Array(message[..<end])
        }
        let all = manifest.folders.flatMap(\.messages)
        #expect(try bytes(.noMessageID).allSatisfy { !String(decoding: header($0), as: UTF8.self).contains("Message-ID:") })
        for duplicate in all.filter({ $0.edgeCases.contains(.duplicateMessageID) }) {
            let twins = all.filter { $0.messageID == duplicate.messageID }
            #expect(twins.count >= 2 && Set(twins.map(\.sha256)).count == twins.count)
        }
        #expect(try bytes(.eightBitHeaders).allSatisfy { header($0).contains { $0 >= 0x80 } })
        #expect(try bytes(.encodedWordHeaders).allSatisfy { String(decoding: header($0), as: UTF8.self).contains("=?UTF-8?B?") })
        #expect(try bytes(.latin1Body).allSatisfy { String(decoding: $0, as: UTF8.self).contains("charset=iso-8859-1") })
        #expect(try bytes(.emptyBody).allSatisfy { $0.suffix(2) == [0x0A, 0x0A] })
        #expect(try bytes(.noFinalNewline).allSatisfy { $0.last != 0x0A })
        #expect(try bytes(.foldedHeader).allSatisfy { String(decoding: header($0), as: UTF8.self).contains("\n\t") })
        #expect(try bytes(.large).allSatisfy { $0.count >= 1_000_000 && String(decoding: header($0), as: UTF8.self).contains("multipart/mixed") })
        #expect(all.contains { $0.file.hasPrefix("new/") })
        // Maildir files have LF line ends only.
        #expect(try manifest.folders.flatMap { f in try f.messages.map { m in
            try Data(contentsOf: URL(fileURLWithPath: (f.directory.isEmpty ? root : root + "/" + f.directory) + "/" + m.file))
        } }.allSatisfy { !$0.contains(0x0D) })
    }

    @Test func refusesAMaildirThatHoldsMailUnlessReplace() throws {
        let (root, first) = try Self.generate()
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(throws: CorpusError.maildirNotEmpty(root)) {
            try CorpusWriter(profile: Self.profile, seed: 7, user: "tbalice").write(into: root, owner: nil, replace: false)
        }
        let again = try CorpusWriter(profile: Self.profile, seed: 7, user: "tbalice").write(into: root, owner: nil, replace: true)
        #expect(again == first)
    }

    /// A skeleton (`cur`, `new`, `tmp` and nothing else, as a new account's Maildir is) holds
    /// no mail, so it is filled without `replace`, exactly as an absent directory is.
    @Test func emptyMaildirSkeletonIsAccepted() throws {
        let root = Self.temporaryMaildir()
        let fresh = try Self.generate()
        defer { try? FileManager.default.removeItem(atPath: root); try? FileManager.default.removeItem(atPath: fresh.root) }
        for sub in ["cur", "new", "tmp"] {
            try FileManager.default.createDirectory(atPath: root + "/" + sub, withIntermediateDirectories: true)
        }
        let filled = try Self.generate(into: root)
        #expect(filled.manifest == fresh.manifest)
        let files = try Self.snapshot(root)
        #expect(Set(files.keys) == Set(try Self.snapshot(fresh.root).keys))
        #expect(files.keys.filter { $0.hasPrefix("cur/") || $0.hasPrefix("new/") }.count > 0)
    }
}
