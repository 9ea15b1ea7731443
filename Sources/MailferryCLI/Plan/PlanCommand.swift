import ArgumentParser
import Foundation
import MailferryConfig
import Migration
import Plan

/// `mailferry plan --config FILE`: the read-only preflight before a move.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Check, read-only, what the move depends on: DNS and TTLs, the decommission date, accounts, addresses, disk, quotas, filters, the freeze.",
        discussion: """
            Run it days before the move, and again before the switch. It changes nothing \
            anywhere: it asks name servers, logs in to the accounts and reads their sizes, \
            reads both Postfix configurations (or asks the new server with RCPT; no mail is \
            sent) and reads files on the old host.

            DNS: for every domain in [plan] domains, the MX records and the MX hosts' A/AAAA \
            records with the TTLs the zone's own name servers publish. The plan follows the NS \
            records from the root servers and asks the authoritative servers without recursion \
            (a recursive resolver would show only what is left of a cached TTL). It checks \
            which MX hosts lead to the old server ([plan] old_addresses) and which to neither \
            (a backup MX), IPv4/IPv6 asymmetry, SPF allowing the new address, the new \
            address's PTR, DANE TLSA records of the MX, an MTA-STS policy, the names mail \
            clients use (imap., pop., pop3., smtp., mail., autoconfig., autodiscover., RFC 6186 \
            SRV records), and what the configured resolvers answer now. Each domain's SOA gives \
            how far ahead a new record must be created: resolvers cache its absence for the \
            lesser of the SOA's TTL and minimum (RFC 2308).

            Addresses: with [plan] old_postfix (the old Postfix's configuration directory, \
            read on the old host: old_host, else [cutover] old.host, else this host), every \
            address the old Postfix accepts for the domains: the accounts and the alias_maps \
            keys (for a domain in mydestination), the virtual_alias_maps, \
            recipient_canonical_maps and canonical_maps keys, and with a recipient_delimiter \
            their user+tag forms. Each is resolved against the new Postfix as it will be after \
            the switch: [plan] new_postfix (else [cutover] new.postfix), a configuration \
            directory on this host, staged with the switch's changes, read with postconf -x \
            and postmap -q in Postfix's order (canonical maps, virtual aliases recursively, \
            then mydestination/local_recipient_maps, virtual_mailbox_maps or \
            relay_recipient_maps). Without one, each address is asked of [plan] new_smtp with \
            MAIL FROM:<>, RCPT TO and RSET (nothing is sent). An address the new side would \
            refuse or bounce is a blocker, and so is a recipient_delimiter the new side lacks, \
            and an alias to a program, a file or an :include: list, which only the old host \
            can run. A catch-all is a warning. The old Postfix's local_recipient_maps and \
            virtual_mailbox_maps are read too: an indexed table is listed; an SQL or LDAP \
            table (also behind proxy:), a pattern table, users from LDAP/SSSD/NIS behind \
            unix:passwd.byname (the old host's nsswitch.conf), or an empty \
            local_recipient_maps cannot be listed, and each is a warning with what to check \
            by hand (an SQL or LDAP table is asked about the accounts with postmap -q). The \
            old host's regular users (uid 1000 and up) that are no account are one warning. \
            The summary names what it could not check.

            Capacity: with [plan] new_store (the new mail store's directory on this host), \
            its free space against the accounts' size on the old server plus 25 % headroom.

            Accounts: every account of the config (as `sync --config` resolves them: \
            [[accounts]], accounts_file, [system_accounts]) is read on the old server through \
            the same stores, passwords, master user and TLS settings the sync uses (folders, \
            message count and size), and logged in to on the new server (an IMAP destination; \
            a maildir: destination is not opened). A failed login or an unreadable account is \
            a blocker. The sync's own folder plan (with [folders] rules) is made from both \
            listings: every folder the sync would refuse (a name that is not valid modified \
            UTF-7, the new server's separator inside a level, two folders landing in one) is \
            a blocker with its reason. Passwords come from the password files or the \
            MAILFERRY_* environment variables, as for sync; --no-accounts skips this part.

            POP3-only users: with [plan] old_host (or [cutover]), each account's ~/Maildir on \
            the old host that has Courier's courierpop3dsizelist and no courierimapuiddb was \
            never opened over IMAP: a warning saying what the cutover means for its UIDLs. \
            This runs before the accounts are read over IMAP, which makes Courier write \
            courierimapuiddb.

            Quotas: with [plan] new_dovecot_config, each account's quota on the new server \
            (doveadm -c FILE quota get -u USER, as root on the new host) against its size and \
            message count on the old server. A mailbox bigger than its quota is a blocker (the \
            copy stops with OVERQUOTA, new mail bounces after the switch); over 90 % of it a \
            warning; a user Dovecot does not know a blocker.

            Timed sample: after the accounts check, the largest accounts it read \
            (--sample-accounts, default 3; 0 turns it off) are read on the old server one \
            after another through the sync's IMAP session: one incremental pass (login, folder \
            list, every folder's UIDs and flags: the final delta when nothing changed), then \
            every message body with BODY.PEEK[] (no flag changes) until --sample-seconds \
            (default 30) run out. Bulk copy: every account's size at the measured read rate, \
            [sync] jobs at a time; a lower bound, because a read-only plan cannot time the new \
            server's writes.

            Freeze: the expected time from the cutover's hold to its switch, with its \
            assumptions: the final delta's incremental pass over every account (the sampled \
            accounts' timed passes, the others at their average, spread over [sync] jobs), \
            about [cutover] presync.small_delta messages (default 50) copied at the measured \
            rate, plus 0.5 s of Postfix reloads. Over a minute is a warning. Without a sample \
            (off, failed, or nothing to read) both estimates use the rates docs/benchmarks.md \
            measured for the path and the accounts check's read times, and say so.

            Filters: with [plan] old_host (local or an ssh destination; default [cutover] \
            old.host), each account's home there (getent passwd) is searched for .forward, \
            .mailfilter (maildrop), .procmailrc and .dovecot.sieve, each read with a bound \
            (64 KiB), and ~/.vacation.msg for a .forward into vacation(1), which becomes a \
            Sieve vacation script. The new server runs none of them: each is a warning. maildrop and \
            procmail files made only of rules that file mail whose header matches into a \
            folder of the Maildir come with the same rules in Sieve to review; any other \
            "needs a person". A .forward (and .forward+ext) is an address finding: \
            forwards are a warning with the Postfix virtual alias and the Sieve redirect to \
            build on the new server, a pipe, a file or an :include: list a blocker (an \
            autoreply or a filter program a warning), keeping mail in the mailbox ok; a file \
            too big, not UTF-8 or with odd syntax is a warning for a person. Folder names in \
            each ~/Maildir that are not valid UTF-8 (Courier's IMAP drops the connection at \
            LIST on them) are a blocker: rename them.

            Hosts: with both Postfix directories ([plan] old_postfix, read on the old host, \
            and new_postfix; default [cutover] old.postfix and new.postfix), equal myhostname \
            values are a blocker (smtp(8) bounces the relayed mail as a loop, 5.4.6), and \
            postscreen, milters, policy services (SPF, greylisting) or DNS block lists on the \
            new listener the old host relays to ([cutover] new.relay_port, default 25) are a \
            warning that points to a dedicated relay listener. With the DNS part, each new \
            (and, with old_postfix, old) address's PTR name against that side's myhostname: a \
            mismatch is a warning.

            DKIM (with the DNS part): the selectors of the old host's OpenDKIM \
            (/etc/opendkim.conf there: Selector and KeyTable), else common selector names, \
            their keys in each domain's zone, and whether the new Postfix has a signing milter \
            (OpenDKIM, rspamd). Published keys without a signer on the new side are a \
            warning: the new server's mail would fail DKIM and DMARC.

            From the TTLs: how long after the switch caches may still send mail to the old \
            server (the cutover's drain), and the earliest safe decommission date: the longest \
            TTL (of the MX records only when the old MX host's name lies outside [plan] \
            domains and so must change; a name inside them stays and only its A/AAAA TTL \
            counts) plus [plan] margin (default 1 day), never earlier than 5 days after the switch \
            (RFC 5321's retry horizon). With [plan] switch_at it is a date.

            Every finding is ok, WARNING or BLOCKER, with what to do. --json writes the whole \
            report (the format `mailferry cutover` reads); --html a self-contained page. \
            Without the DNS part (--no-dns, or no [plan] table) the report says why there \
            are no DNS records and what to add (dnsSkipped in the JSON).

            The config is the migration config (see examples/mailferry.toml) with a [plan] table:
              [plan]
              domains = ["example.com"]
              old_addresses = ["192.0.2.10", "2001:db8::10"]
              new_addresses = ["198.51.100.20"]
              margin = "1d"
              switch_at = "2026-12-20T18:00:00Z"
              old_postfix = "/etc/postfix"            # optional: the old addresses
              new_smtp = "new.example.com:25"         # without new_postfix: asked by RCPT
              new_store = "/var/vmail"                # optional: free space check
              new_dovecot_config = "/etc/dovecot/dovecot.conf"  # optional: quotas
              new_postfix = "/etc/postfix"            # optional, as after the switch
              old_host = "root@old.example.com"       # optional: per-user filters there
              old_ssh_options = ["-p", "2222"]
              [plan.dns]          # optional; defaults suit a real domain
              roots = ["198.41.0.4"]        # where NS following starts
              port = 53                     # port of the name servers found
              resolvers = ["192.0.2.53"]    # default: /etc/resolv.conf
              timeout = "3s"
              attempts = 2

            After the switch, `mailferry dns watch --config FILE` asks every authoritative \
            server of the domains and the resolvers until none answers the old server.

            Examples:
              mailferry plan --config mailferry.toml
              mailferry plan --config mailferry.toml --json plan.json --html plan.html

            Exit status: 0 when nothing blocks the move (warnings allowed), 1 when a blocker \
            was found, 64 for a bad config, 74 when a report file cannot be written.

            \(ExitStatus.helpTable)
            """
    )

    @Option(help: ArgumentHelp("The migration config with a [plan] table.", valueName: "file"))
    var config: String

    @Option(help: ArgumentHelp("Write the full report as JSON to this file ('-' for standard output).", valueName: "file"))
    var json: String?

    @Option(help: ArgumentHelp("Write a self-contained HTML report to this file.", valueName: "file"))
    var html: String?

    @Flag(name: .customLong("no-dns"), help: "Skip the DNS checks (then no [plan] table is needed); the address, host, quota and filter checks still run.")
    var noDNS = false

    @Flag(name: .customLong("no-accounts"), help: "Skip logging in to every account on both servers.")
    var noAccounts = false

    @Option(help: ArgumentHelp("Accounts (the largest) whose bodies the timed sample reads on the old server; 0 turns it off.", valueName: "n"))
    var sampleAccounts = TimingSample.defaultAccounts

    @Option(help: ArgumentHelp("The timed sample's time budget in seconds.", valueName: "seconds"))
    var sampleSeconds = Int(TimingSample.defaultBudget.components.seconds)

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let loaded: MigrationConfig
        do {
            loaded = try MigrationConfig.load(path: config)
        } catch {
            throw commandFailure("\(error)", status: .usage)
        }
        if !noDNS && loaded.plan == nil {
            throw commandFailure("\(config) has no [plan] table: add one with domains and new_addresses, or use --no-dns (see mailferry plan --help)",
                                 status: .usage)
        }
        let report: PlanReport
        do {
            report = try await PlanRunner.report(
                loaded, config: config, noDNS: noDNS, noAccounts: noAccounts,
                sample: TimingSample(accounts: sampleAccounts, budget: .seconds(sampleSeconds)), logger: logging.bootstrap())
        } catch {
            throw commandFailure("\(error)", status: .usage)
        }
        let jsonText: String
        do {
            jsonText = try report.json()
        } catch {
            throw commandFailure("cannot encode the report: \(error)", status: .internalError)
        }
        if json == "-" {
            print(jsonText)
        } else {
            print(PlanTextRenderer().render(report))
            if let json { try Self.save(jsonText + "\n", to: json) }
        }
        if let html { try Self.save(PlanHTMLRenderer().render(report), to: html) }
        if json != "-" {
            if let json { print("JSON report: \(json)") }
            if let html { print("HTML report: \(html)") }
        }
        let status = ExitStatus(report.worst)
        if status != .success { throw status.exitCode }
    }

    static func save(_ text: String, to path: String) throws {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw commandFailure("cannot write \(path): \(error.localizedDescription)", status: .ioError)
        }
    }
}
