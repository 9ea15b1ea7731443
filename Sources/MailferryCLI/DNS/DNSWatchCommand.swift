import ArgumentParser
import DNSCodec
import Foundation
import MailferryConfig
import Migration
import Plan

/// `mailferry dns watch [DOMAIN...] --config FILE`: after the switch, rounds of questions
/// until every authoritative server and resolver answers the new server.
struct DNSWatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "After the switch: ask the domains' name servers and resolvers until none answers the old server.",
        discussion: """
            Once the MX or A/AAAA records are changed, every --interval this asks each \
            authoritative name server of the domains (the addresses of their NS records, asked \
            without recursion: a secondary serves the old zone until its transfer) and each \
            resolver of [plan.dns] resolvers (default /etc/resolv.conf) for the domain's MX, \
            then for the A and AAAA records of every MX host any of them named. An answer with \
            an address of [plan] old_addresses, no address, or no answer at all keeps the \
            watch going. It prints one line per round: how many answers lead to the new \
            server, which servers still answer an old address (with its TTL), and until when \
            caches elsewhere may serve the old answer (the last old answer seen plus its TTL).

            It ends when every answer has an address and none is old (exit 0), or when the \
            next round would start after --for (exit 1; run it again to keep watching). \
            Read-only: it only asks. The domains are the arguments, else [plan] domains; the \
            servers, ports and timeouts come from [plan.dns], as for `mailferry plan`.

            --json prints one JSON object per round on standard output (JSON Lines): the \
            round's answers (server, host, addresses, ttl, leadsToOld, error), done, rounds, \
            oldTTL and oldCachedUntil.

            The countdown starts at the last old answer seen, not at the switch: a cache that \
            fetched that answer may serve it for its whole TTL.

            Examples:
              mailferry dns watch --config mailferry.toml
              mailferry dns watch example.com --config mailferry.toml --interval 1m --for 2d
              mailferry dns watch --config mailferry.toml --json | jq -c '{rounds, done}'

            \(ExitStatus.helpTable)
            """
    )

    @Argument(help: ArgumentHelp("The domains to watch (default: [plan] domains).", valueName: "domain"))
    var domains: [String] = []

    @Option(help: ArgumentHelp("The migration config with a [plan] table (old_addresses, [plan.dns]).", valueName: "file"))
    var config: String

    @Option(help: ArgumentHelp("Between rounds.", valueName: "duration"))
    var interval = "30s"

    @Option(name: .customLong("for"), help: ArgumentHelp("How long to watch at most; exit 1 when it runs out first.", valueName: "duration"))
    var limit = "1d"

    @Flag(help: "One JSON object per round on standard output instead of text.")
    var json = false

    func run() async throws {
        let plan: PlanConfig
        do {
            guard let table = try MigrationConfig.load(path: config).plan else {
                throw commandFailure("\(config) has no [plan] table: dns watch needs its old_addresses (see mailferry plan --help)", status: .usage)
            }
            plan = table
        } catch let failure as ExitCode {
            throw failure
        } catch {
            throw commandFailure("\(error)", status: .usage)
        }
        guard let every = ConfigDuration.parse(interval), every > .zero, let limit = ConfigDuration.parse(limit) else {
            throw commandFailure("--interval and --for take durations such as \"30s\", \"5m\" or \"1d\"", status: .usage)
        }
        var names: [DNSName]?
        if !domains.isEmpty {
            do {
                names = try domains.map { try DNSName($0) }
            } catch {
                throw commandFailure("not a domain name: \(error)", status: .usage)
            }
        }
        if (plan.oldAddresses ?? []).isEmpty {
            throw commandFailure("[plan] old_addresses is empty: without it no answer can be told to be old", status: .usage)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let watch = PlanRunner.dnsWatch(plan, domains: names)
        let outcome = try await watch.watch(clock: ContinuousClock(), interval: every, for: limit) { outcome in
            if json {
                if let data = try? encoder.encode(outcome) { print(String(decoding: data, as: UTF8.self)) }
            } else {
                print("\(ISO8601DateFormatter().string(from: Date())) \(outcome.summary)")
            }
        }
        guard outcome.last.done else {
            if !json { print("Not everywhere yet after \(self.limit); run it again to keep watching.") }
            throw ExitStatus.partial.exitCode
        }
        if !json {
            print("Every server asked now answers the new server."
                  + (outcome.oldCachedUntil.map { " Caches elsewhere that fetched an old answer may serve it until \(ISO8601DateFormatter().string(from: $0)): the drain covers that." } ?? ""))
        }
    }
}
