import Foundation
import IMAPClient
import NIOCore
import Testing

/// A file body that is dropped unsent or half sent (a refused MULTIAPPEND, a connection cut
/// mid-literal) must close its file, not leak it (NIO traps on a leaked open handle in debug
/// builds; release builds would leak a descriptor per message).
@Suite struct AppendFileSourceTests {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("append-\(UUID().uuidString)").path

    @Test func readsTheWholeFileInChunks() async throws {
        let bytes = Array((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)), "could not create the test file")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let body = try await AppendBody.file(path: path)
        #expect(body.byteCount == bytes.count)
        var read: [UInt8] = []
        var chunks = 0
        while let chunk = try await body.nextChunkForTesting() {
            read += chunk.readableBytesView
            chunks += 1
        }
        #expect(read == bytes)
        #expect(chunks == 4)
    }

    @Test func bodiesDroppedUnsentOrHalfSentCloseTheirFile() async throws {
        #expect(FileManager.default.createFile(atPath: path, contents: Data(repeating: 7, count: 150_000)), "could not create the test file")
        defer { try? FileManager.default.removeItem(atPath: path) }
        for _ in 0..<50 {
            _ = try await AppendBody.file(path: path)
            let half = try await AppendBody.file(path: path)
            _ = try await half.nextChunkForTesting()
        }
        // No descriptor of this process points at the file any more (other tests open files
        // meanwhile, so only this file's descriptors are counted).
        let open = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").filter { fd in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + fd)) == path
        }
        #expect(open.isEmpty)
    }

    /// A file the caller holds open is read through a duplicate of its descriptor, from the
    /// start whatever the caller's offset, even after it was removed, and the caller's
    /// descriptor stays open; a dropped body closes only its duplicate.
    @Test func anOpenFileIsReadThroughADuplicateDescriptor() async throws {
        let bytes = Array((0..<150_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)), "could not create the test file")
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        try FileManager.default.removeItem(atPath: path)
        _ = lseek(descriptor, 1000, SEEK_SET)
        let body = try AppendBody.file(descriptor: descriptor, size: bytes.count, path: path)
        #expect(body.byteCount == bytes.count)
        var read: [UInt8] = []
        while let chunk = try await body.nextChunkForTesting() { read += chunk.readableBytesView }
        #expect(read == bytes)
        _ = try AppendBody.file(descriptor: descriptor, size: bytes.count, path: path)
        #expect(fcntl(descriptor, F_GETFD) >= 0, "the caller's descriptor is still open")
    }

    @Test func aMissingFileIsAnError() async {
        await #expect(throws: IMAPClientError.self) { _ = try await AppendBody.file(path: path + ".missing") }
    }
}
