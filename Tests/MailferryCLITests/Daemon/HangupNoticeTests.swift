import Foundation
import MailTestSupport
import Synchronization
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

    struct Ended: Error, CustomStringConvertible {
        var description: String
    }

    /// What the child wrote to standard error so far, and whether it closed it; each read
    /// wakes the waits.
    final class ChildLog: Sendable {
        let state = Mutex((text: "", ended: false))
        let changes = ChangeSignal()
        var text: String { state.withLock { $0.text } }

        func append(_ data: Data) {
            state.withLock {
                $0.text += String(decoding: data, as: UTF8.self)
                if data.isEmpty { $0.ended = true }
            }
            changes.signal()
        }

        func waitFor(_ line: String) async throws {
            _ = try await changes.until("the forwarder to log \(line)", timeout: .seconds(60)) { () -> Bool? in
                let (text, ended) = state.withLock { ($0.text, $0.ended) }
                if text.contains(line) { return true }
                if ended { throw Ended(description: "the forwarder ended before it logged \(line): \(text)") }
                return nil
            }
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs .build/debug/mailferry (swift build)"))
    func aHangupIsLoggedAndIgnored() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        // Port 0: the kernel picks a free port; nothing connects, the upstream is never dialled.
        process.arguments = ["forward", "--listener", "imap=127.0.0.1:0=127.0.0.1:9", "--grace", "1s", "-v"]
        process.standardOutput = FileHandle.nullDevice
        let pipe = Pipe()
        process.standardError = pipe
        let log = ChildLog()
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil }
            log.append(data)
        }
        try process.run()
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
