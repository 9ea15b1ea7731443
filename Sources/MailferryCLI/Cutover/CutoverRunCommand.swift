import ArgumentParser
import Foundation
import Migration

/// `mailferry cutover run`: start or resume.
struct CutoverRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the cutover from where its journal stands to the end (or the rollback, once requested).",
        discussion: """
            Each step is recorded before and after it runs; run again after an interruption \
            (kill, reboot, lost SSH) and it resumes: an interrupted step is run again (every \
            step is idempotent) and a failed one retried. A failed verify stays in the hold. \
            A proof that finds mail still queued waits and proves again; one that finds a \
            message lost or duplicated, or a gap in a log, fails the prove step with the \
            reason; run again to prove again.

            With --step, asks before each phase begins; answering anything but "y" stops there \
            (exit 0) and `cutover run` continues later.

            Exits 0 when finished (or paused with --step), 1 when a step failed (the reason is \
            printed and kept in the journal), 64 on a config error, 74 when a host cannot be \
            reached.

            \(ExitStatus.helpTable)
            """
    )

    @OptionGroup var options: CutoverOptions
    @OptionGroup var logging: LoggingOptions

    @Flag(help: "Ask before each phase begins.")
    var step = false

    func run() async throws {
        let logger = logging.bootstrap()
        let session = try options.session()
        let hosts: CutoverHosts
        do { hosts = try session.hosts() } catch { throw commandFailure("\(error)", status: .ioError) }
        // With old.mail_log the prove step is the proof from the logs; the accounts it names
        // are read now, so a bad accounts file stops the run before any step.
        let prover: LogCutoverProver?
        do { prover = try session.logProver(hosts: hosts) } catch { throw commandFailure("\(error)", status: .usage) }
        var runner = session.runner(effects: session.effects(hosts: hosts, logger: logger, prover: prover))
        runner.observe = { record in print(CutoverRenderer.line(record)) }
        let confirm: (@Sendable (CutoverPhase) async -> Bool)? = step ? { @Sendable phase in
            print("Begin phase \(phase.rawValue)? [y/N] ", terminator: "")
            return readLine()?.lowercased() == "y"
        } : nil
        let outcome = try await runner.run(confirm: confirm)
        print(CutoverRenderer.text(outcome))
        if case .stopped = outcome { throw ExitStatus.partial.exitCode }
        if case .refused = outcome { throw ExitStatus.partial.exitCode }
    }
}
