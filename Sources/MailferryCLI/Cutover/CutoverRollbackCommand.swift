import ArgumentParser
import Foundation
import Migration

/// `mailferry cutover rollback`.
struct CutoverRollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Return both servers to their state before the hold; possible from the hold and the switch, refused after open.",
        discussion: """
            From the hold: the old Postfix is restored from the backup the hold took (the held \
            mail is delivered locally) and the old IMAP/POP daemons start again. From the \
            switch: first the old Postfix holds again, then the new one relays the domains back \
            to it (in that order, or mail would ping-pong between them until hopcount_limit), \
            the mail delivered on the new side since the switch is copied back into the old \
            Courier Maildirs (what came after the UIDNEXT each new folder had at the switch, \
            recorded in the journal; bytes and flags kept; a second run writes nothing twice; \
            cutover.old.maildir names the Maildirs), then the restore and the IMAP start. \
            After open it is refused: users may have changed mail on the new store, and sync has \
            no Dovecot -> Courier path.

            --dry-run prints the steps and their commands and changes nothing. The rollback is \
            journaled like the cutover: run it again after an interruption.

            Exits 0 when rolled back (or with --dry-run), 1 when refused or a step failed.

            \(ExitStatus.helpTable)
            """
    )

    @OptionGroup var options: CutoverOptions
    @OptionGroup var logging: LoggingOptions

    @Flag(help: "Print the rollback's steps and commands; change nothing.")
    var dryRun = false

    func run() async throws {
        let logger = logging.bootstrap()
        let session = try options.session()
        let hosts: CutoverHosts
        do { hosts = try session.hosts() } catch { throw commandFailure("\(error)", status: .ioError) }
        if dryRun {
            let report: CutoverPlanReport
            do { report = try await CutoverPlanner(session: session, hosts: hosts).plan() } catch {
                throw commandFailure("cutover rollback: \(error)", status: .ioError)
            }
            print(CutoverRenderer.rollbackText(report))
            if report.rollbackRefusal != nil { throw ExitStatus.partial.exitCode }
            return
        }
        var runner = session.runner(effects: session.effects(hosts: hosts, logger: logger, prover: nil))
        runner.observe = { record in print(CutoverRenderer.line(record)) }
        if let refusal = try await runner.requestRollback() {
            throw commandFailure("rollback refused: \(refusal)", status: .partial)
        }
        let outcome = try await runner.run()
        print(CutoverRenderer.text(outcome))
        if outcome != .rolledBack { throw ExitStatus.partial.exitCode }
    }
}
