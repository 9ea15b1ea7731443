import Cutover
import Foundation
import Testing

/// Reading a log through a ``Host`` from an offset, across rotations (LocalHost; the same
/// commands run over SSH).
struct HostLogReaderTests {
    let clock = LogClock(anchor: LogInstant(iso: "2026-12-06T12:00:00Z")!)

    func line(_ qid: String) -> String { "Dec 06 12:00:01 mx postfix/qmgr[1]: \(qid): removed\n" }

    func withDirectory(_ body: (String) async throws -> Void) async throws {
        let directory = NSTemporaryDirectory() + "mailferry-logreader-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await body(directory)
    }

    func append(_ text: String, _ path: String) throws {
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    func removedIDs(_ scan: MailLogScan) -> [String] {
        scan.records.compactMap { if case .removed(let id, _) = $0.event { id } else { nil } }
    }

    @Test func readsOnlyWhatWasAppendedAndKeepsAPartialLineForLater() async throws {
        try await withDirectory { directory in
            let path = "\(directory)/maillog"
            _ = FileManager.default.createFile(atPath: path, contents: Data((line("AAAAA11111") + "Dec 06 12:00:01 mx post").utf8))
            let reader = HostLogReader(host: LocalHost(), chunkSize: 7)
            var scanner = MailLogScanner(name: "old", clock: clock)
            var cursor = try await reader.read(LogCursor(path: path), into: &scanner)
            try append("fix/qmgr[1]: BBBBB22222: removed\n", path)
            cursor = try await reader.read(cursor, into: &scanner)
            cursor = try await reader.read(cursor, into: &scanner)
            let scan = scanner.finish()
            #expect(removedIDs(scan) == ["AAAAA11111", "BBBBB22222"])
            #expect(scan.gaps.isEmpty)
            let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.uint64Value
            #expect(cursor.offset == size)
        }
    }

    @Test func aRotationIsFollowedIntoTheOldFileOrIsAGap() async throws {
        try await withDirectory { directory in
            let path = "\(directory)/maillog"
            _ = FileManager.default.createFile(atPath: path, contents: Data(line("AAAAA11111").utf8))
            let reader = HostLogReader(host: LocalHost())
            var scanner = MailLogScanner(name: "old", clock: clock)
            let cursor = try await reader.read(LogCursor(path: path), into: &scanner)
            // logrotate: more lines, then the file moves to .1 and a new one starts.
            try append(line("BBBBB22222"), path)
            try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
            _ = FileManager.default.createFile(atPath: path, contents: Data(line("CCCCC33333").utf8))
            let after = try await reader.read(cursor, into: &scanner)
            var scan = scanner.finish()
            #expect(removedIDs(scan) == ["AAAAA11111", "BBBBB22222", "CCCCC33333"])
            #expect(scan.gaps.isEmpty)

            // The same, but the old file is gone (compressed): the lines in between are unknown.
            try append(line("DDDDD44444"), path)
            try FileManager.default.removeItem(atPath: path + ".1")
            try FileManager.default.moveItem(atPath: path, toPath: path + ".1.gz")
            _ = FileManager.default.createFile(atPath: path, contents: Data(line("EEEEE55555").utf8))
            var second = MailLogScanner(name: "old", clock: clock)
            _ = try await reader.read(after, into: &second)
            scan = second.finish()
            #expect(removedIDs(scan) == ["EEEEE55555"])
            #expect(scan.gaps.count == 1)
            #expect(scan.gaps.first?.reason.contains("was rotated") == true)
        }
    }

    @Test func aTruncatedFileIsAGap() async throws {
        try await withDirectory { directory in
            let path = "\(directory)/maillog"
            _ = FileManager.default.createFile(atPath: path, contents: Data((line("AAAAA11111") + line("BBBBB22222")).utf8))
            let reader = HostLogReader(host: LocalHost())
            var scanner = MailLogScanner(name: "old", clock: clock)
            let cursor = try await reader.read(LogCursor(path: path), into: &scanner)
            try Data(line("CCCCC33333").utf8).write(to: URL(fileURLWithPath: path))
            _ = try await reader.read(cursor, into: &scanner)
            let scan = scanner.finish()
            #expect(removedIDs(scan) == ["AAAAA11111", "BBBBB22222", "CCCCC33333"])
            #expect(scan.gaps.first?.reason.contains("truncated") == true)
        }
    }

    @Test func bytesThatAreNotUTF8ArriveIntact() async throws {
        try await withDirectory { directory in
            let path = "\(directory)/maillog"
            var bytes = Array("Dec 06 12:00:01 mx postfix/local[1]: AAAAA11111: to=<j".utf8) + [0xFF, 0xFE]
            bytes += Array("@x>, relay=local, delay=0, delays=0/0/0/0, dsn=2.0.0, status=sent (delivered to maildir)\n".utf8)
            _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
            var scanner = MailLogScanner(name: "old", clock: clock)
            _ = try await HostLogReader(host: LocalHost(), chunkSize: 3).read(LogCursor(path: path), into: &scanner)
            let scan = scanner.finish()
            guard case .delivery(_, let delivery)? = scan.records.first?.event else {
                Issue.record("no delivery read")
                return
            }
            // Two invalid bytes, two replacement characters: nothing merged or lost on the way.
            #expect(delivery.recipient == "j\u{FFFD}\u{FFFD}@x")
        }
    }
}
