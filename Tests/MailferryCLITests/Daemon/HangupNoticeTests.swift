import Foundation
import MailTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A hangup neither stops nor disturbs a running daemon command: `mailferry forward` (the
/// mirror wires the same ``HangupNotice`` into its service group) logs it and keeps going,
/// and SIGTERM still stops it cleanly.
@Suite struct HangupNoticeTests {
    static let binary = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../.build/debug/mailferry").standardized.path

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs .build/debug/mailferry (swift build)"))
    func aHangupIsLoggedAndIgnored() async throws {
        // Port 0: the kernel picks a free port; nothing connects, the upstream is never dialled.
        let (process, log) = try ChildProcessLog.start(
            Self.binary, ["forward", "--listener", "imap=127.0.0.1:0=127.0.0.1:9", "--grace", "1s", "-v"])
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        try await log.waitFor("listening")

        kill(process.processIdentifier, SIGHUP)
        try await log.waitFor("SIGHUP ignored")
        #expect(process.isRunning, "a hangup must not stop the forwarder: \(log.text)")

        kill(process.processIdentifier, SIGTERM)
        try await process.exited()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0, "\(log.text)")
    }
}
