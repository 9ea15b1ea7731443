import Glibc
import MailModel
import MailTestSupport
import Testing
@testable import Maildir

@Suite("Message file streaming")
struct MessageFileTests {
    @Test func writerCountsSizesAcrossChunkBoundaries() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let text = Array("a\r\nb\nc\r\n\nd".utf8)
        let writer = try MessageFileWriter(temporaryPath: directory.path("m"), ownership: .currentProcess, computeFingerprint: true)
        for byte in text { try writer.write([byte]) }
        let written = try writer.finish(modificationTime: 12345)
        #expect(written.size == Int64(text.count))
        #expect(written.virtualSize == Int64(text.count) + 2)
        #expect(written.fingerprint == MessageFingerprint.of(text))
        #expect(try FileSystem.readFile(directory.path("m")) == text)
        #expect(try FileSystem.status(directory.path("m"))?.modificationSeconds == 12345)
        #expect(try FileSystem.status(directory.path("m"))?.permissions == 0o600)
    }

    /// The line-feed scan against its definition, byte by byte, on text dense in CR and LF
    /// cut into chunks at random places (a CR ending one chunk, the LF starting the next).
    @Test func bareLineFeedsMatchTheByteByByteDefinitionWhereverTheChunksEnd() throws {
        var random = SeededRandom.forTest("bareLineFeeds")
        let alphabet: [UInt8] = [0x0A, 0x0D, 0x61, 0x20, 0x0A, 0x0D]
        for round in 0..<200 {
            let text = (0..<random.next(below: 600)).map { _ in alphabet[random.next(below: alphabet.count)] }
            var expected: Int64 = 0
            for (index, byte) in text.enumerated() where byte == 0x0A && (index == 0 || text[index - 1] != 0x0D) { expected += 1 }
            var counted: Int64 = 0
            var previous: UInt8 = 0
            var start = 0
            while start < text.count {
                let end = min(text.count, start + 1 + random.next(below: 40))
                counted += text[start..<end].withUnsafeBytes { MessageFileWriter.bareLineFeeds(in: $0, after: previous) }
                previous = text[end - 1]
                start = end
            }
            #expect(counted == expected, "round \(round), seed \(random.seed): \(text)")
        }
    }

    @Test func abortedOrAbandonedWritersLeaveNothing() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let writer = try MessageFileWriter(temporaryPath: directory.path("a"), ownership: .currentProcess)
        try writer.write(Array("x".utf8))
        writer.abort()
        #expect(!directory.exists("a"))
        do {
            let abandoned = try MessageFileWriter(temporaryPath: directory.path("b"), ownership: .currentProcess)
            try abandoned.write(Array("x".utf8))
        }
        #expect(!directory.exists("b"))
        #expect(throws: MaildirError.self) { try writer.write(Array("y".utf8)) }
    }

    @Test func writerRefusesToOverwrite() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        directory.write("exists", "keep")
        #expect(throws: MaildirError.self) { try MessageFileWriter(temporaryPath: directory.path("exists"), ownership: .currentProcess) }
        #expect(directory.read("exists") == "keep")
    }

    @Test func largeMessageStreamsInBoundedChunks() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var source = [UInt8](repeating: 0x61, count: 3_000_000)
        for index in stride(from: 100, to: source.count, by: 100) { source[index] = 0x0A }
        directory.write("big", bytes: source)
        let reader = try MessageFileReader(path: directory.path("big"))
        #expect(reader.size == 3_000_000)
        var total = 0
        var largest = 0
        while true {
            let chunk = try reader.read(upTo: 65536)
            if chunk.isEmpty { break }
            total += chunk.count
            largest = max(largest, chunk.count)
        }
        #expect(total == 3_000_000 && largest <= 65536)
        let writer = try MessageFileWriter(temporaryPath: directory.path("copy"), ownership: .currentProcess)
        try writer.append(contentsOf: directory.path("big"))
        let written = try writer.finish()
        #expect(written.size == 3_000_000)
        #expect(written.virtualSize == Int64(3_029_999))
        #expect(try FileSystem.readFile(directory.path("copy")) == source)
    }

    @Test func ownershipIsApplied() throws {
        guard geteuid() == 0 else { return }
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let ownership = MaildirOwnership(uid: 65534, gid: 65534, directoryMode: 0o750, fileMode: 0o640)
        let writer = try MessageFileWriter(temporaryPath: directory.path("m"), ownership: ownership)
        _ = try writer.finish()
        let status = try #require(try FileSystem.status(directory.path("m")))
        #expect(status.ownerUID == 65534 && status.ownerGID == 65534 && status.permissions == 0o640)
        _ = try ownership.makeDirectory(directory.path("d"))
        let dir = try #require(try FileSystem.status(directory.path("d")))
        #expect(dir.ownerUID == 65534 && dir.permissions == 0o750)
    }

    @Test func ownershipInferredFromTheDestination() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        directory.makeDirectories(directory.path("home/Maildir"))
        chmod(directory.path("home/Maildir"), 0o750)
        let fromMaildir = try MaildirOwnership.inferred(maildirRoot: directory.path("home/Maildir"))
        #expect(fromMaildir.directoryMode == 0o750 && fromMaildir.fileMode == 0o640)
        #expect(fromMaildir.uid == geteuid())
        let fromHome = try MaildirOwnership.inferred(maildirRoot: directory.path("home/Other"))
        #expect(fromHome.directoryMode == 0o700 && fromHome.fileMode == 0o600)
        #expect(throws: MaildirError.self) { try MaildirOwnership.inferred(maildirRoot: directory.path("nohome/Maildir")) }
    }
}
