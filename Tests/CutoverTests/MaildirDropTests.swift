import Cutover
import Foundation
import Testing

/// MaildirDrop through a real /bin/sh, locally and through the stand-in `ssh` (the remote
/// old host's path): bytes and flags kept, the file's time the internal date, nothing left in
/// tmp/, and a second put of the same message (a resume after kill -9) writes nothing.
struct MaildirDropTests {
    /// A Maildir folder (cur/, new/, tmp/) in a fresh temporary directory.
    static func folder() throws -> String {
        let path = NSTemporaryDirectory() + "mailferry-drop-\(UUID().uuidString.prefix(8))"
        for sub in ["cur", "new", "tmp"] {
            try FileManager.default.createDirectory(atPath: "\(path)/\(sub)", withIntermediateDirectories: true)
        }
        return path
    }

    static func names(_ folder: String, _ sub: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "\(folder)/\(sub)")) ?? []).sorted()
    }

    /// 8-bit, a bare CR, a NUL and CRLF: the file must hold exactly these bytes.
    static let message: [UInt8] = Array("Subject: back\r\nX-8bit: ".utf8) + [0xE9, 0xFF, 0x00, 0x0D] + Array("\r\n\r\nbody\n".utf8)

    @Test(arguments: ["local", "ssh"])
    func aMessageLandsOnceWithItsBytesFlagsAndDate(via transport: String) async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var ssh: String?
        defer { if let ssh { try? FileManager.default.removeItem(atPath: ssh) } }
        let host: any Cutover.Host
        if transport == "ssh" {
            ssh = try SSHHostTests.fakeSSH()
            host = SSHHost(destination: "old", controlPath: "/nonexistent", sshPath: ssh!)
        } else {
            host = LocalHost()
        }
        let drop = MaildirDrop(host: host)
        let seen = MaildirDrop.baseName(date: 1_700_000_123, key: "0a1b2c3d-77-5", size: Self.message.count)
        #expect(seen == "1700000123.mailferry-0a1b2c3d-77-5.copyback,S=\(Self.message.count)")
        #expect(try await drop.put(Self.message, folder: folder, baseName: seen, flags: "FS", date: 1_700_000_123) == .written)
        let unseen = MaildirDrop.baseName(date: 1_700_000_456, key: "0a1b2c3d-77-6", size: 3)
        #expect(try await drop.put(Array("new".utf8), folder: folder, baseName: unseen, flags: "", date: 1_700_000_456) == .written)

        #expect(Self.names(folder, "cur") == ["\(seen):2,FS"])
        #expect(Self.names(folder, "new") == [unseen])
        #expect(Self.names(folder, "tmp").isEmpty)
        #expect(FileManager.default.contents(atPath: "\(folder)/cur/\(seen):2,FS").map(Array.init) == Self.message)
        let attributes = try FileManager.default.attributesOfItem(atPath: "\(folder)/cur/\(seen):2,FS")
        #expect((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 == 1_700_000_123)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        // Again, after a client moved the new one to cur/ and flagged it: still there, not rewritten.
        try FileManager.default.moveItem(atPath: "\(folder)/new/\(unseen)", toPath: "\(folder)/cur/\(unseen):2,S")
        #expect(try await drop.put(Self.message, folder: folder, baseName: seen, flags: "FS", date: 1_700_000_123) == .alreadyPresent)
        #expect(try await drop.put(Array("new".utf8), folder: folder, baseName: unseen, flags: "", date: 1_700_000_456) == .alreadyPresent)
        #expect(Self.names(folder, "cur") == ["\(seen):2,FS", "\(unseen):2,S"].sorted())
        #expect(Self.names(folder, "new").isEmpty)
    }

    /// A run killed after writing under tmp/ and before the rename: the next run writes the
    /// whole message again and renames it; one copy, complete.
    @Test func aKilledWriteLeftInTmpIsRedoneOnce() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let name = MaildirDrop.baseName(date: 1_700_000_000, key: "00000001-9-1", size: Self.message.count)
        try Data(Self.message.prefix(5)).write(to: URL(fileURLWithPath: "\(folder)/tmp/\(name)"))
        #expect(try await MaildirDrop(host: LocalHost()).put(Self.message, folder: folder, baseName: name, flags: "", date: 1_700_000_000) == .written)
        #expect(Self.names(folder, "tmp").isEmpty)
        #expect(Self.names(folder, "new") == [name])
        #expect(FileManager.default.contents(atPath: "\(folder)/new/\(name)").map(Array.init) == Self.message)
    }

    /// Names and flags reach a shell: anything that could leave the folder or split the
    /// name from its flags is refused before a command runs.
    @Test(arguments: ["../x", "a/b", ".hidden", "x:2,S", "", "a b", "x;rm"])
    func unsafeNamesAreRefused(_ name: String) async throws {
        let host = LocalHost()
        await #expect(throws: CutoverError.self) {
            _ = try await MaildirDrop(host: host).put([], folder: "/nonexistent", baseName: name, flags: "", date: 0)
        }
        await #expect(throws: CutoverError.self) {
            _ = try await MaildirDrop(host: host).put([], folder: "/nonexistent", baseName: "ok", flags: "S/", date: 0)
        }
    }

    @Test func aMissingFolderIsAnErrorNamingTheFile() async throws {
        do {
            _ = try await MaildirDrop(host: LocalHost()).put(Array("x".utf8), folder: "/nonexistent/Maildir", baseName: "1.x", flags: "", date: 0)
            Issue.record("no error")
        } catch let error as CutoverError {
            guard case .file(let host, let path, let reason) = error else { Issue.record("\(error)"); return }
            #expect(host == "local" && path == "/nonexistent/Maildir/1.x")
            #expect(reason.hasPrefix("exit 2: ") && reason.contains("nonexistent"), "\(reason)")
        }
    }

    /// Keywords go into Courier's per-message update file (one a line), also on a second put
    /// that finds the message there; anything but an IMAP keyword is refused before the shell.
    @Test func keywordsBecomeACourierUpdateFile() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let drop = MaildirDrop(host: LocalHost())
        let base = MaildirDrop.baseName(date: 1_700_000_123, key: "0a1b2c3d-77-7", size: Self.message.count)
        #expect(try await drop.put(Self.message, folder: folder, baseName: base, flags: "S", date: 1_700_000_123, keywords: ["$Forwarded", "Project-X"]) == .written)
        #expect(Self.names(folder, "courierimapkeywords") == [base])
        #expect(try String(contentsOfFile: "\(folder)/courierimapkeywords/\(base)", encoding: .utf8) == "$Forwarded\nProject-X\n")
        try FileManager.default.removeItem(atPath: "\(folder)/courierimapkeywords/\(base)")
        #expect(try await drop.put(Self.message, folder: folder, baseName: base, flags: "S", date: 1_700_000_123, keywords: ["$Forwarded"]) == .alreadyPresent)
        #expect(try String(contentsOfFile: "\(folder)/courierimapkeywords/\(base)", encoding: .utf8) == "$Forwarded\n")
        for bad in ["\\Seen", "two words", "a\nb", "-rf"] {
            await #expect(throws: CutoverError.self) {
                try await drop.put(Self.message, folder: folder, baseName: base, flags: "S", date: 1, keywords: [bad])
            }
        }
        // Without keywords no directory appears.
        let plain = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: plain) }
        _ = try await drop.put(Self.message, folder: plain, baseName: base, flags: "", date: 1)
        #expect(!FileManager.default.fileExists(atPath: "\(plain)/courierimapkeywords"))
    }
}
