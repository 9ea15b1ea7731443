import Foundation
import PostfixControl

/// The machine mailferry runs on. Programs run directly (no shell); their output goes to
/// temporary files rather than pipes, so a program that prints a lot (`postqueue -j` on a
/// big queue) can never block on a full pipe while we wait for it to exit.
public struct LocalHost: Host {
    public let name: String
    let log: (any CommandLog)?
    let clock: ContinuousClock
    /// Where each command's input and output files are made (a fresh directory per command).
    let scratchDirectory: URL

    public init(name: String = "local", log: (any CommandLog)? = nil, clock: ContinuousClock = ContinuousClock(),
                scratchDirectory: URL = FileManager.default.temporaryDirectory) {
        self.name = name
        self.log = log
        self.clock = clock
        self.scratchDirectory = scratchDirectory
    }

    public func run(_ command: HostCommand) async throws -> CommandOutput {
        let directory = scratchDirectory.appendingPathComponent("mailferry-cmd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: directory) }
        let outPath = directory.appendingPathComponent("out").path
        let errPath = directory.appendingPathComponent("err").path
        let inPath = directory.appendingPathComponent("in").path
        for (path, contents) in [(outPath, Data()), (errPath, Data()), (inPath, Data(command.input ?? []))] {
            guard FileManager.default.createFile(atPath: path, contents: contents) else {
                throw CutoverError.cannotRun(host: name, command: command.description, reason: "cannot create \(path)")
            }
        }

        let process = Process()
        // coreutils timeout(1) kills the program (and, after 5 s more, with SIGKILL) when it
        // runs too long; the same wrapper works on the far side of ssh.
        let seconds = max(1, Int(command.timeout.components.seconds))
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["--kill-after=5", String(seconds)] + command.argv
        // Our copies of the child's descriptors are closed when it has ended: the drain runs
        // commands every minute for days, and each left open would be three descriptors lost.
        let handles = [FileHandle(forWritingAtPath: outPath), FileHandle(forWritingAtPath: errPath), FileHandle(forReadingAtPath: inPath)]
        defer { for handle in handles { try? handle?.close() } }
        process.standardOutput = handles[0]
        process.standardError = handles[1]
        process.standardInput = handles[2]
        let start = clock.now
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: CutoverError.cannotRun(host: name, command: command.description, reason: "\(error)"))
            }
        }
        let duration = start.duration(to: clock.now)
        // 124: the program ended on timeout's SIGTERM; 137: on its SIGKILL. timeout(1) puts
        // itself in its own process group and signals the group, so when the program ignores
        // SIGTERM the final SIGKILL ends timeout too (status 9 by signal).
        let killedBySignal = process.terminationReason == .uncaughtSignal && status == SIGKILL
        if status == 124 || status == 137 || killedBySignal {
            throw CutoverError.timedOut(host: name, command: command.description, after: command.timeout)
        }
        let output = CommandOutput(
            command: command, status: status,
            standardOutput: String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self),
            standardError: String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self),
            duration: duration)
        log?.record(host: name, output: output)
        return output
    }

    public func writeFile(_ path: String, _ bytes: [UInt8], permissions: Int) async throws {
        do {
            try AtomicFile.write(Data(bytes), to: path, permissions: permissions)
        } catch {
            throw CutoverError.file(host: name, path: path, reason: "\(error)")
        }
    }

    public func readFile(_ path: String) async throws -> [UInt8]? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CutoverError.file(host: name, path: path, reason: "cannot read")
        }
        return [UInt8](data)
    }

    public func removeFile(_ path: String) async throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw CutoverError.file(host: name, path: path, reason: "\(error)")
        }
    }
}
