import Cutover
import Foundation
import Testing

/// The prove phase in one call: logs read on their host (rotated file first), both
/// renderings written, a log that starts after the window failing the proof.
struct CutoverLogProverTests {
    typealias L = ProofLogBuilder

    @Test func readsTheRotatedFileFirstWritesBothReportsAndFailsWhenTheStartIsMissing() async throws {
        var logs = L()
        logs.chain(at: 10, oldQID: "A1B2C3D4E5", newQID: "F0E1D2C3B4", users: ["alice", "bob"])
        let oldLines = ["\(L.time(0)) mx.old postfix/master[1]: daemon started -- version 3.7.11, configuration /etc/postfix"] + logs.old
        let newLines = ["\(L.time(0)) mx.new postfix/master[1]: daemon started -- version 3.7.11, configuration /etc/postfix"] + logs.new
        let dovecotLines = ["\(L.time(0)) master: Info: Dovecot v2.3.19.1 (9b53102964) starting up for imap, pop3, lmtp"] + logs.dovecot
        let directory = NSTemporaryDirectory() + "mailferry-prover-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func write(_ lines: ArraySlice<String>, _ name: String) throws {
            try (lines.joined(separator: "\n") + "\n").write(toFile: "\(directory)/\(name)", atomically: true, encoding: .utf8)
        }
        // The old log was rotated in the middle of the message's lines.
        try write(oldLines[..<3], "old.log.1")
        try write(oldLines[3...], "old.log")
        try write(newLines[...], "new.log")
        try write(dovecotLines[...], "dovecot.log")

        let host = LocalHost()
        let prover = CutoverLogProver(
            oldLog: .init(host: host, path: "\(directory)/old.log"), newLog: .init(host: host, path: "\(directory)/new.log"),
            dovecotLog: .init(host: host, path: "\(directory)/dovecot.log"), settings: ProofSettings(newServerRelays: ["mx.new.test"]))
        let report = try await prover.prove(since: L.instant(0), until: L.instant(60), timeline: [ProofPhase(name: "hold", start: L.instant(5))],
                                            oldStore: OldStoreEvidence(), directory: "\(directory)/report")
        #expect(report.verdict == .proven, "\(report.reasons)")
        #expect(report.counts.deliveredNew == 2)
        #expect(CutoverLogProver.summary(report).hasPrefix("proof proven: 1 messages, 2 recipients, 2 delivered new"))
        let json = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/report/proof.json"))
        #expect(try JSONDecoder().decode(CutoverProofReport.self, from: json) == report)
        #expect(FileManager.default.fileExists(atPath: "\(directory)/report/proof.html"))

        // The rotated file compressed away: the log now begins after the window did.
        try FileManager.default.removeItem(atPath: "\(directory)/old.log.1")
        let missing = try await prover.prove(since: L.instant(0), until: L.instant(60), timeline: [], oldStore: OldStoreEvidence(),
                                             directory: "\(directory)/report")
        #expect(missing.verdict == .failed)
        #expect(missing.gaps.first?.reason.contains("after the window began") == true)
    }
}
