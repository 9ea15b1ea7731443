import Foundation
import MailTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A sync from a Courier Maildir holds each message of a batch as its open file. Under a
/// descriptor limit far below what three folders' batches of 100 would hold, it still copies
/// everything: the batches shrink to the run's share of the limit instead of failing the
/// folders with "Too many open files".
@Suite struct DescriptorLimitSyncTests {
    static let build = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../.build/debug")
        .standardized.path
    static var binariesBuilt: Bool {
        FileManager.default.isExecutableFile(atPath: build + "/mailferry") && FileManager.default.isExecutableFile(atPath: build + "/mailferry-corpus")
    }

    @Test(.enabled(if: binariesBuilt, "needs .build/debug/mailferry and mailferry-corpus (swift build)"))
    func aMaildirCopyUnderALowDescriptorLimitCopiesEverything() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fd-limit-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Spawn.run(
            Self.build + "/mailferry-corpus",
            ["--maildir", directory + "/source", "--messages", "600", "--large", "0", "--folders", "2", "--quiet"],
            output: directory + "/corpus.log")
        // `ulimit -n` in sh sets the soft and the hard limit: mailferry cannot raise it.
        let script = """
            ulimit -n 100 || exit 90
            exec "$1" sync --from "maildir:$2/source" --to "maildir:$2/destination/Maildir" --owner "$3" --state "$2/state" \
                --folders-in-parallel 3 --json
            """
        let output = directory + "/sync.json"
        try Spawn.run("/bin/sh", ["-c", script, "sh", Self.build + "/mailferry", directory, "\(getuid()):\(getgid())"], output: output)
        // The progress lines come first (standard error shares the file), then the report.
        let text = try String(contentsOfFile: output, encoding: .utf8)
        let json = try #require(text.firstIndex(of: "{").map { text[$0...] }, "no report in: \(text)")
        let report = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let folders = ((report?["accounts"] as? [[String: Any]])?.first?["folders"] as? [[String: Any]]) ?? []
        #expect(folders.count == 3)
        #expect(folders.reduce(0) { $0 + (($1["copied"] as? Int) ?? 0) } == 600)
    }
}
