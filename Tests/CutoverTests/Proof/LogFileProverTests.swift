import Cutover
import Foundation
import Testing

/// `cutover prove`'s proof from local files: a rotated log given as its files, oldest first,
/// reads as one log (time running back where they meet is a gap); an unreadable file is named.
struct LogFileProverTests {
    typealias L = ProofLogBuilder

    @Test func readsEachLogsFilesInOrderAndNamesAnUnreadableOne() throws {
        var logs = L()
        logs.chain(at: 10, oldQID: "A1B2C3D4E5", newQID: "F0E1D2C3B4", users: ["alice", "bob"])
        let directory = NSTemporaryDirectory() + "mailferry-file-prover-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func write(_ lines: ArraySlice<String>, _ name: String) throws -> String {
            try (lines.joined(separator: "\n") + "\n").write(toFile: "\(directory)/\(name)", atomically: true, encoding: .utf8)
            return "\(directory)/\(name)"
        }
        // The old log rotated in the middle of the message's lines: the older file first.
        let old = [try write(logs.old[..<2], "old.log.1"), try write(logs.old[2...], "old.log")]
        var prover = LogFileProver(
            oldLog: old, newLog: [try write(logs.new[...], "new.log")], dovecotLog: [try write(logs.dovecot[...], "dovecot.log")],
            settings: ProofSettings(newServerRelays: ["mx.new.test"]), maxBackwardJumpSeconds: 0)
        let report = try prover.prove(since: L.instant(0), until: L.instant(60), oldStore: OldStoreEvidence())
        #expect(report.verdict == .proven, "\(report.reasons)")
        #expect(report.counts.deliveredNew == 2)

        // Newest first, the log's time runs back a second where the files meet: a gap.
        prover.oldLog = old.reversed()
        let reversed = try prover.prove(since: L.instant(0), until: L.instant(60), oldStore: OldStoreEvidence())
        #expect(reversed.verdict == .failed && reversed.gaps.count == 1, "\(reversed.gaps)")
        prover.oldLog = old

        prover.dovecotLog = ["\(directory)/missing.log"]
        #expect(throws: LogFileProver.ReadError.self) { try prover.prove(since: L.instant(0), until: L.instant(60), oldStore: OldStoreEvidence()) }
        do {
            _ = try prover.prove(since: L.instant(0), until: L.instant(60), oldStore: OldStoreEvidence())
        } catch {
            #expect(error.description == "cannot read \(directory)/missing.log")
        }
    }
}
