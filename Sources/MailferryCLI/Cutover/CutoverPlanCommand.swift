import ArgumentParser
import Foundation
import Migration

/// `mailferry cutover plan`: read-only.
struct CutoverPlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Print every remaining step with the exact commands and Postfix changes per host, and the go/no-go checks.",
        discussion: """
            Read-only: runs postconf and reads the alias files on the old host, runs doveconf \
            and postconf here, changes nothing anywhere. The checks: distinct myhostname on \
            both hosts (else the old server's smtp(8) bounces the relayed mail as a loop, \
            5.4.6), the old Postfix bcc's to the mirror, no pipe, file or :include: alias \
            (those cannot run on the new server), and which old smtpd services (587/465) \
            have their own smtpd_recipient_restrictions (their mail during the hold is \
            deferred by the hold's transport and relayed at the switch). The test-relay step \
            shows its temporary route, the four test messages' sendmail commands (null and \
            SPF-failing sender, each way) and the route's removal. The drain-check step shows what \
            the drain will ask DNS (with [plan] old_addresses: the domains' authoritative servers \
            and the resolvers, as `mailferry dns watch` asks them), or that DNS is not watched. \
            With [cutover.forward], the new server's \
            PROXY listeners for the forwarder: Dovecot inet_listeners with haproxy = yes, \
            forward.old_address in haproxy_trusted_networks and in no login_trusted_networks \
            (doveconf -n), a Postfix submission service with \
            smtpd_upstream_proxy_protocol=haproxy and none on port 25 (postconf -M). Each \
            check is ok, NO-GO (a blocker) or a warning (shown; the cutover may go ahead).

            Exits 0 when no blocker fails (go), 1 when one does (no-go), 64 on a config \
            error, 74 when a host cannot be reached or a command fails.

            \(ExitStatus.helpTable)
            """
    )

    @OptionGroup var options: CutoverOptions

    @Flag(help: "Print the plan as JSON.")
    var json = false

    func run() async throws {
        let session = try options.session()
        let report: CutoverPlanReport
        do {
            report = try await CutoverPlanner(session: session, hosts: try session.hosts()).plan()
        } catch {
            throw commandFailure("cutover plan: \(error)", status: .ioError)
        }
        print(json ? try CutoverRenderer.json(report) : CutoverRenderer.text(report))
        if !report.go { throw ExitStatus.partial.exitCode }
    }
}
