import Foundation
import PostfixControl

/// The machine mailferry runs on. Programs run directly (no shell), started as a shell
/// would start them (``ProgramSpawn``: no signal blocked or ignored); their output goes to
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

        // coreutils timeout(1) kills the program (and, after 5 s more, with SIGKILL) when it
        // runs too long; the same wrapper works on the far side of ssh. The files are opened
        // by the child itself, so no descriptor of ours is left to close.
        let seconds = max(1, Int(command.timeout.components.seconds))
        let start = clock.now
        let ended: ProgramSpawn.Ended
        do {
            let pid = try ProgramSpawn.spawn(["/usr/bin/timeout", "--kill-after=5", String(seconds)] + command.argv,
                                             standardInput: inPath, standardOutput: outPath, standardError: errPath)
            ended = try await ProgramSpawn.wait(for: pid)
        } catch {
            throw CutoverError.cannotRun(host: name, command: command.description, reason: "\(error)")
        }
        let duration = start.duration(to: clock.now)
        // 124: the program ended on timeout's SIGTERM; 137: on its SIGKILL. timeout(1) puts
        // itself in its own process group and signals the group, so when the program ignores
        // SIGTERM the final SIGKILL ends timeout too (status 9 by signal).
        let status = ended.exitStatus ?? ended.signal ?? 0
        if status == 124 || status == 137 || ended.signal == SIGKILL {
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
