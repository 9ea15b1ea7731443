import ArgumentParser
import Foundation
import Logging

/// `scripts/bench cutover`: the whole move under mail load, mailferry's cutover next to the
/// Q&A's runbook (stop Postfix and IMAP on both, copy, start, switch), on the same corpus and
/// delta in the same run, each on a fresh pair of private Postfix instances, the runbooks
/// alternating, medians over the runs.
struct CutoverBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cutover",
        abstract: "mailferry cutover run vs the Q&A runbook under mail load: freeze, IMAP downtime, refused, lost, duplicated.",
        discussion: """
            Runs as root with Debian's postfix package: each runbook gets two private Postfix \
            instances (old and new) on random 127.x.y.z addresses, removed afterwards; the \
            shared testbed is not used. The corpus is written into the old store, copied while \
            mail flows, then a delta of --delta-percent is added and the runbook runs. Mail \
            comes from --senders simulated MTAs at --rate messages/s; after the DNS switch the \
            stale ones (--stale-percent) keep the old host for --stale-seconds; a refused \
            attempt is retried --retry-seconds later. The old IMAP server is a private \
            Courier-IMAP (the testbed's binaries, on the old instance's address) with one idle \
            client per account, stopped as Debian's `imapd stop` does (SIGTERM to couriertcpd, \
            which ends every session) in both runbooks; --stand-in-imap uses /bin/true instead. \
            Both runbooks have a mirror phase (--no-mirror: none): the old instance bccs every \
            message for the domain, as `mailferry postfix mirror --apply` sets it up, to an \
            in-process `mailferry mirror` that relays tagged copies to the new instance, so the \
            new store holds copies of the mail that arrives while the old one still serves; a \
            runbook that leaves them there duplicates that mail. \
            Targets for mailferry: freeze <= 5 s, IMAP unavailable <= 30 s, \
            0 refused, 0 lost, 0 duplicated.
            """
    )

    @Option(help: "Accounts (mailboxes) moved.") var accounts = 4
    @Option(help: "Messages per account in the corpus.") var messages = 1000
    @Option(help: "The delta added after the bulk copy, in percent of the corpus.") var deltaPercent = 1.0
    @Option(help: "Messages per second from the simulated senders.") var rate = 5.0
    @Option(help: "Simulated sending MTAs.") var senders = 20
    @Option(help: "Percent of the senders that keep the old host after the DNS switch.") var stalePercent = 20.0
    @Option(help: "Seconds the stale senders keep the old host.") var staleSeconds = 30.0
    @Option(help: "Seconds before a refused attempt is retried.") var retrySeconds = 10.0
    @Option(help: "mailferry's presync rounds before the hold (1: the whole delta is copied inside the freeze).")
    var presyncRounds = 1
    @Option(help: "Runs of each runbook, alternating; the table shows medians.") var runs = 1
    @Flag(help: "Stop and start the old IMAP server with /bin/true instead of a private Courier-IMAP.") var standInIMAP = false
    @Flag(help: "No mirror phase: the old instance bccs nothing to an in-process mailferry mirror.") var noMirror = false

    func validate() throws {
        guard accounts >= 1, messages >= 1, runs >= 1, senders >= 1, rate > 0, presyncRounds >= 1 else {
            throw ValidationError("--accounts, --messages, --runs, --senders, --presync-rounds must be at least 1 and --rate above 0")
        }
        guard (0...100).contains(deltaPercent), (0...100).contains(stalePercent) else {
            throw ValidationError("--delta-percent and --stale-percent are percentages (0-100)")
        }
    }

    func run() async throws {
        guard CutoverBenchPostfix.canRun else { throw BenchError("the cutover benchmark runs as root and needs Debian's postfix package") }
        // Ctrl-C or SIGTERM: the private Postfix instances are stopped by their masters' pids
        // before the benchmark exits.
        let signals = ([SIGINT, SIGTERM] as [Int32]).map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                CutoverBenchPostfix.destroyAllNow()
                Foundation.exit(128 + number)
            }
            source.resume()
            return source
        }
        defer { signals.forEach { $0.cancel() } }
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let store = CutoverBenchStore(users: (0..<accounts).map { "cb\($0)" }, domain: CutoverBenchRun.domain, messagesPerAccount: messages,
                                      deltaPerAccount: Int((Double(messages) * deltaPercent / 100).rounded()))
        var load = CutoverBenchLoad.Settings()
        load.rate = rate
        load.senders = senders
        load.staleFraction = stalePercent / 100
        load.staleSeconds = staleSeconds
        load.retrySeconds = retrySeconds
        var results: [CutoverBenchRun.Runbook: [CutoverBenchFigures]] = [:]
        var loads: [String] = []
        for round in 1...runs {
            // Alternate which runbook goes first, so neither always gets the quieter machine.
            let order = round % 2 == 1 ? CutoverBenchRun.Runbook.allCases : Array(CutoverBenchRun.Runbook.allCases.reversed())
            for runbook in order {
                let figures = try await CutoverBenchRun(runbook: runbook, store: store, load: load, presyncRounds: presyncRounds, logger: logger,
                                                  realIMAP: !standInIMAP, mirrorPhase: !noMirror).measure()
                loads.append(LoadAverage.describe())
                print("run \(round) \(runbook.rawValue): " + Self.describe(figures) + " (load \(loads.last!))")
                print("  steps (s): " + Self.steps([figures]))
                results[runbook, default: []].append(figures)
            }
        }
        print()
        print("cutover benchmark: \(accounts) accounts x \(messages) messages, delta \(store.deltaPerAccount * accounts) messages "
              + "(\(BenchTable.format(deltaPercent)) %), mail at \(BenchTable.format(rate)) msgs/s from \(senders) senders "
              + "(\(BenchTable.format(stalePercent, decimals: 0)) % keep the old host \(BenchTable.format(staleSeconds, decimals: 0)) s after the switch, "
              + "refused attempts retried after \(BenchTable.format(retrySeconds, decimals: 0)) s); medians of \(runs) run(s); "
              + "load average after each run: \(loads.joined(separator: ", "))")
        print(Self.render(results))
        for runbook in CutoverBenchRun.Runbook.allCases {
            if let runs = results[runbook] { print("\(runbook.rawValue), steps (median s): " + Self.steps(runs)) }
        }
        if let ours = results[.mailferry] { print(Self.verdict(ours)) }
    }

    static func describe(_ figures: CutoverBenchFigures) -> String {
        let held = Samples(figures.heldLatencies)
        let released = Samples(figures.releaseLatencies)
        return "freeze \(BenchTable.format(figures.freeze, decimals: 2)) s, IMAP unavailable \(BenchTable.format(figures.imapUnavailable, decimals: 2)) s, "
            + "final delta \(figures.finalDelta), \(figures.heldLatencies.count) held (250 -> mailbox median \(held.isEmpty ? "-" : BenchTable.format(held.median, decimals: 2)) s, "
            + "relay step start -> mailbox max \(released.isEmpty ? "-" : BenchTable.format(released.max, decimals: 2)) s), "
            + "\(figures.accepted) accepted, \(figures.refused) refused attempts, longest gap \(BenchTable.format(figures.longestGap, decimals: 2)) s, "
            + "\(figures.lost) lost, \(figures.duplicated) duplicated, \(figures.neverAccepted) never accepted"
            + (figures.mirrorCopies.map { ", \($0) mirror copies relayed to the new server" } ?? "")
    }

    /// Each step's median seconds over the runs, in the runbook's order.
    static func steps(_ runs: [CutoverBenchFigures]) -> String {
        guard let first = runs.first else { return "-" }
        return first.steps.map(\.name).map { name in
            let seconds = Samples(runs.compactMap { $0.steps.first { $0.name == name }?.seconds })
            return "\(name) \(BenchTable.format(seconds.median, decimals: 2))"
        }.joined(separator: ", ")
    }

    static func render(_ results: [CutoverBenchRun.Runbook: [CutoverBenchFigures]]) -> String {
        var table = BenchTable(header: ["runbook", "freeze s", "IMAP unavailable s", "held 250 -> mailbox s (median / max)", "relay start -> last held in mailbox s", "refused attempts",
                                        "longest gap with no 250 s", "lost", "duplicated", "accepted", "final delta"])
        for runbook in CutoverBenchRun.Runbook.allCases {
            guard let runs = results[runbook], !runs.isEmpty else { continue }
            func median(_ value: (CutoverBenchFigures) -> Double, decimals: Int = 2) -> String {
                BenchTable.format(Samples(runs.map(value)).median, decimals: decimals)
            }
            let held = runs.flatMap(\.heldLatencies)
            let released = runs.filter { !$0.releaseLatencies.isEmpty }
            table.rows.append([
                runbook.rawValue, median(\.freeze), median(\.imapUnavailable),
                held.isEmpty ? "-" : "\(BenchTable.format(Samples(held).median, decimals: 2)) / \(BenchTable.format(Samples(held).max, decimals: 2))",
                released.isEmpty ? "-" : BenchTable.format(Samples(released.map { Samples($0.releaseLatencies).max }).median, decimals: 2),
                median({ Double($0.refused) }, decimals: 0), median(\.longestGap), median({ Double($0.lost) }, decimals: 0),
                median({ Double($0.duplicated) }, decimals: 0), median({ Double($0.accepted) }, decimals: 0), median({ Double($0.finalDelta) }, decimals: 0),
            ])
        }
        table.rows.append(["target (mailferry)", "<= 5", "<= 30", "-", "-", "0", "-", "0", "0", "-", "-"])
        return table.render()
    }

    /// Each target against mailferry's worst run, not its median: one lost message is a miss.
    static func verdict(_ runs: [CutoverBenchFigures]) -> String {
        let freeze = Samples(runs.map(\.freeze)).max
        let imap = Samples(runs.map(\.imapUnavailable)).max
        let refused = runs.map(\.refused).max() ?? 0
        let lost = runs.map { $0.lost + $0.neverAccepted }.max() ?? 0
        let duplicated = runs.map(\.duplicated).max() ?? 0
        func met(_ ok: Bool) -> String { ok ? "met" : "NOT met" }
        return "mailferry, worst of \(runs.count) run(s): freeze \(BenchTable.format(freeze, decimals: 2)) s (<= 5: \(met(freeze <= 5))), "
            + "IMAP unavailable \(BenchTable.format(imap, decimals: 2)) s (<= 30: \(met(imap <= 30))), refused \(refused) (\(met(refused == 0))), "
            + "lost \(lost) (\(met(lost == 0))), duplicated \(duplicated) (\(met(duplicated == 0)))"
    }
}
