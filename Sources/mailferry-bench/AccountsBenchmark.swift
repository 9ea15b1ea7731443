import ArgumentParser
import Foundation
import TestbedClient

/// `scripts/bench accounts`: many small accounts, the case where per-account costs (logins,
/// TLS, state) dominate. mailferry syncs the whole fleet with `--jobs`; mbsync runs one process
/// per account, as many at a time; both hold the same number of connections per server.
struct AccountsBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accounts",
        abstract: "Many small accounts: mailferry sync --jobs N vs mbsync per account, N at a time (needs the testbed).",
        discussion: """
            The sources are Courier accounts tbacct001... (--accounts, default 100), each \
            refilled at every run with --messages small messages (default 20, mailferry-corpus, \
            no large ones) in INBOX and --folders more folders, then read once over IMAP before \
            the timings (Courier builds its UID databases then). Each tool copies every account \
            into its own set of Dovecot accounts (tbacma001... for mailferry, tbacmb001... for \
            mbsync), emptied before every round; the tools run in rotating order.

            mailferry: one `mailferry sync --config` over the fleet with jobs = --jobs, \
            max_connections_per_server = --jobs and folders_in_parallel = 1, so each account \
            holds one connection per server. mbsync: one process per account (Far = Courier, \
            Near = Dovecot through the master user, PipelineDepth 50), --jobs of them at a time: \
            the same connection budget. Both use STARTTLS verified against the testbed CA \
            (--no-tls: plaintext). Each copy is counted from the destination's files.

            Also measured, in-process: what an account costs before any mail moves (TCP and \
            greeting, STARTTLS, the login, a new state store), and mailferry's own per-account \
            seconds from its --json report.

            Target (issue 14): accounts per minute >= 2x mbsync's at the same connection budget.
            """
    )

    @Option(help: "testbed.json (default: $MAILFERRY_TESTBED, else .testbed/testbed.json above the current directory).")
    var testbed: String?

    @Option(help: "Source accounts.")
    var accounts = 100

    @Option(help: "Messages per account.")
    var messages = 20

    @Option(help: "Folders per account besides INBOX.")
    var folders = 2

    @Option(help: "Accounts at a time (mailferry --jobs; mbsync processes at a time).")
    var jobs = 4

    @Option(help: "Rounds (each tool once per round, in rotating order).")
    var `repeat` = 3

    @Option(help: "Samples of each per-account cost.")
    var costSamples = 20

    @Flag(help: "Plaintext IMAP on loopback for every tool instead of STARTTLS.")
    var noTLS = false

    @Flag(help: "Keep the scratch directory (configs, state, every run's output).")
    var keepFiles = false

    func validate() throws {
        guard accounts >= 1, accounts <= 999 else { throw ValidationError("--accounts must be 1-999") }
        guard messages >= 1, jobs >= 1, `repeat` >= 1, costSamples >= 1 else {
            throw ValidationError("--messages, --jobs, --repeat and --cost-samples must be at least 1")
        }
    }

    func run() async throws {
        for (program, package) in SyncTool.requiredPrograms where !FileManager.default.isExecutableFile(atPath: program) {
            throw BenchError("\(program) is missing: apt-get install \(package)")
        }
        let rig = try SyncBenchRig(testbedPath: testbed, startTLS: !noTLS)
        defer { rig.cleanUp(keepAccounts: true, keepFiles: keepFiles) }
        let tools: [SyncTool] = [.mailferry, .mbsync]
        let loadBefore = LoadAverage.describe()
        print("creating and filling \(accounts) source accounts and \(tools.count)x\(accounts) destination accounts...")
        let fleet = try await AccountsBenchFleet.prepare(rig: rig, accounts: accounts, messages: messages, folders: folders, tools: tools)
        let source = try await fleet.warmUp(rig: rig)
        print("sources on Courier: \(source.description) in \(accounts) accounts; load average \(loadBefore)")

        var report = AccountsBenchReport(accounts: accounts, jobs: jobs, source: source, startTLS: !noTLS, loadBefore: loadBefore)
        for round in 0..<`repeat` {
            for tool in tools { try fleet.empty(tool) }
            for index in tools.indices {
                let tool = tools[(index + round) % tools.count]
                report.loads.append(LoadAverage.read().first ?? .nan)
                let directory = try rig.directory("\(tool.rawValue)-\(round)")
                let seconds: Double
                switch tool {
                case .mailferry:
                    let config = try fleet.mailferryConfig(rig: rig, jobs: jobs, directory: directory)
                    let run = try TimedCommand(label: "mailferry", program: rig.binary("mailferry"), arguments: ["sync", "--config", config, "--json"])
                        .run(in: directory)
                    seconds = run.seconds
                    if run.status != 0 { report.problems.append("mailferry sync exited \(run.status): \(run.tail)") }
                    report.mailferryRSS.append(run.maxRSSMegabytes)
                    for value in Self.accountSeconds(run.stdout) { report.mailferryAccountSeconds.append(value) }
                default:
                    let result = try fleet.runMbsync(rig: rig, jobs: jobs, directory: directory)
                    seconds = result.seconds
                    report.problems += result.failures.prefix(5)
                }
                let census = fleet.census(tool)
                if census.messages != source.messages {
                    report.problems.append("\(tool.title) round \(round + 1): the destinations hold \(census.messages) messages, the sources \(source.messages)")
                }
                report.seconds[tool, default: Samples()].append(seconds)
                print("  round \(round + 1) \(tool.rawValue): \(BenchTable.format(seconds, decimals: 2)) s, "
                    + "\(BenchTable.format(Double(accounts) / seconds * 60, decimals: 0)) accounts/min, destinations \(census.description)")
            }
        }
        report.costs = try await AccountCosts.measure(rig: rig, fleet: fleet, samples: costSamples)
        report.loadAfter = LoadAverage.describe()
        print(report.render())
    }

    /// The per-account `seconds` of `mailferry sync --json`'s report.
    static func accountSeconds(_ json: String) -> [Double] {
        struct Summary: Decodable {
            struct Account: Decodable { var seconds: Double }
            var accounts: [Account]
        }
        return (try? JSONDecoder().decode(Summary.self, from: Data(json.utf8)))?.accounts.map(\.seconds) ?? []
    }
}
