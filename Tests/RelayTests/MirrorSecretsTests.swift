import Foundation
import Logging
import MailSpool
import MailTestSupport
import Relay
import SMTPClient
import SMTPTestSupport
import ServiceLifecycle
import Synchronization
import Testing

/// Issue 13: the mirror's one secret is its tag key (it has no SMTP AUTH password: it talks
/// to the new server unauthenticated). A mirror session that takes, spools, relays and
/// reports a copy, logging at trace level, must leave the key nowhere but in mirror-tag.key:
/// not in a spool file, a log line, the report, nor the copy the new server receives (which
/// carries only the HMAC made with it).
@Suite struct MirrorSecretsTests {
    @Test func theTagKeyStaysInItsKeyFile() async throws {
        let recorder = RecordingLogHandler()
        var logger = recorder.logger
        logger.logLevel = .trace
        let harness = MirrorHarness(logger: logger)
        var report = ""
        try await MirrorEndToEndTests.withDownstream(harness) { () async throws in
            try await harness.withMirror { (port: Int, spool: MailSpool) async throws in
                let outcomes = try await harness.send(to: port, recipients: ["bob@old.test.mirror.invalid"])
                #expect(outcomes.allSatisfy { $0.disposition == .delivered })
                #expect(try await harness.eventually { try spool.finishedRecords().count == 1 })
                let json = try JSONEncoder().encode(MirrorReport(finished: try spool.finishedRecords(), queued: []))
                report = String(decoding: json, as: UTF8.self)
            }
        }

        let keyFile = MirrorTag.keyPath(spoolDirectory: harness.directory)
        let hex = try String(contentsOfFile: keyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(hex.count == 64, "not a tag key: \(hex)")
        let raw = stride(from: 0, to: hex.count, by: 2).map { offset -> UInt8 in
            let start = hex.index(hex.startIndex, offsetBy: offset)
            return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)!
        }
        let needles: [(String, [UInt8])] = [
            ("the key in hex", Array(hex.lowercased().utf8)), ("the key in upper-case hex", Array(hex.uppercased().utf8)),
            ("the raw key", raw), ("the key in base64", Array(Data(raw).base64EncodedString().utf8)),
            // Half the key in hex: a truncated or reformatted copy would still leak it.
            ("half the key in hex", Array(hex.lowercased().prefix(32).utf8)),
        ]

        var haystacks: [(String, [UInt8])] = []
        let files = try SecretsSearch.files(under: harness.directory).filter { $0 != keyFile }
        for file in files { haystacks.append((file, [UInt8](try Data(contentsOf: URL(fileURLWithPath: file))))) }
        let lines = recorder.lines.withLock { $0 }
        haystacks.append(("the log", Array(lines.joined(separator: "\n").utf8)))
        haystacks.append(("the report", Array(report.utf8)))
        let copies = harness.downstream.committed
        haystacks.append(("the copy the new server received", Array(copies.map(\.content).joined().utf8)))

        // The search must have something to search: the finished record, trace-level log
        // lines of the session, a report of the delivery, and the tagged copy.
        #expect(!files.isEmpty, "no spool files besides the key")
        #expect(lines.count >= 5, "\(lines)")
        #expect(report.contains("\"delivered\":1"), "\(report)")
        #expect(copies.count == 1 && copies.allSatisfy { $0.content.hasPrefix("X-Mailferry-Mirror: ") })
        for (place, bytes) in haystacks {
            for (what, needle) in needles where SecretsSearch.contains(bytes, needle) {
                Issue.record("\(what) appears in \(place)")
            }
        }
    }
}
