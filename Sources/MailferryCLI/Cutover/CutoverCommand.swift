import ArgumentParser
import MailferryConfig
import Migration
import Plan

/// `mailferry cutover`: the whole move, orchestrated, resumable, reversible.
struct CutoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cutover",
        abstract: "Move the domain's mail to the new server: hold, final delta, verify, switch, open, drain, prove.",
        discussion: """
            Runs on the new host as root, with a migration config that has a [cutover] table \
            (examples/cutover.toml). The old host is driven locally or over SSH (the admin's \
            ~/.ssh/config, agent and known_hosts apply; the old host's key must already be in \
            known_hosts: an unknown or changed key is refused); every command on either host and its \
            output is appended to cutover-commands.log in the state directory.

            Phases: mirror (bcc copies, new relays to old, logins refused on the new Dovecot), \
            presync (repeated until a round copies at most small_delta messages), hold (old \
            IMAP/POP stopped, old Postfix holds the domains' mail with 250 in its hold queue, mirror \
            copies purged, old store quiet), final-delta (last sync and verify; a failure stays in \
            the hold, which loses nothing), switch (new delivers locally, then old relays to it \
            and releases the held mail), open (new logins allowed; change DNS; with \
            [cutover.forward] the forwarder starts on the old host: systemctl start \
            mailferry-forward.service, or forward.start_command), drain (until TTL + margin \
            passed, the old queue is empty and, with old.mail_log, no mail for the domains \
            reached the old host from the network for drain.quiet, default 2h; status shows \
            the last such arrival; with [plan] old_addresses also until every name server \
            and resolver answers the new server, as `mailferry dns watch` asks them, and the \
            last old answer's TTL + margin passed), prove (with old.mail_log in [cutover]: every message the \
            old Postfix accepted since the first phase followed through the logs into a \
            mailbox, proof.json and proof.html written to the state directory's \
            cutover-report/; without it: the per-account verify), then the forwarder stops \
            (decommission).

            Every step is journaled in the state store before and after it runs: after kill -9, \
            a reboot or a lost SSH session, `cutover run` continues where it stopped. \
            Rollback is possible from the hold and the switch, refused after open. \
            See docs/admin/cutover.md.

            \(ExitStatus.helpTable)
            """,
        subcommands: [
            CutoverPlanCommand.self, CutoverRunCommand.self, CutoverStatusCommand.self, CutoverRollbackCommand.self, CutoverProveCommand.self,
        ]
    )
}

/// The options every cutover subcommand takes.
struct CutoverOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The migration config with a [cutover] table.", valueName: "file"))
    var config: String

    func session() throws -> CutoverSession {
        var session: CutoverSession
        do {
            session = try CutoverSession.open(configPath: config)
        } catch let error as ConfigError {
            throw commandFailure(error.description, status: .usage)
        } catch {
            throw commandFailure("cannot open the cutover's state: \(error)", status: .ioError)
        }
        // The drain asks DNS through `mailferry dns watch`'s code, when [plan] names the old addresses.
        session.dnsWatch = DNSWatch.drain(for: session)
        return session
    }
}
