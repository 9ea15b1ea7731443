import ArgumentParser
import Foundation
import TestbedClient

/// `scripts/bench sync`: mailferry, mbsync and `doveadm backup -R imapc:` copy the same
/// Courier account into Dovecot, in one run on the same testbed, each into a fresh
/// destination account: full run, then a no-op re-run; wall time, peak RSS, CPU. Then
/// mailferry again with one 50 MB message more in the source (its peak RSS must not grow).
struct SyncBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "mailferry sync vs mbsync vs doveadm backup: full run, no-op re-run, peak RSS (needs the testbed).",
        discussion: """
            The source is the Courier account tbsyncbench, refilled with the benchmark profile \
            (mailferry-corpus: 2,000 messages, 9 of them 1-25 MB, INBOX + 14 folders) at every \
            run and read once before the timings (Courier builds its UID databases then). Each \
            tool copies it into a fresh Dovecot account (scripts/testbed adduser), emptied again \
            at the end: mailferry through the master user, mbsync with Far = Courier and Near = \
            Dovecot through the master user (testbed.md §8), doveadm writing Dovecot's storage \
            itself. All three use STARTTLS verified against the testbed CA (--no-tls: plaintext).

            Every measurement is repeated (--repeat, tools in rotating order) and reported as \
            minimum / median: the machine is shared. No account is emptied until the end: on an \
            ext4 without a journal, the kernel skips every inode freed in the last minute when it \
            allocates one, so Dovecot storing 2,000 messages right after another tool's 2,000 \
            were deleted took 5.4 s instead of 2.3 s. mailferry's copy is checked with \
            mailferry verify --deep, and every tool's copy is counted by doveadm mailbox status.

            Targets (issue 14): full run >= 2x faster than mbsync and >= 1.3x faster than doveadm \
            backup; no-op re-run >= 1.5x faster than mbsync (run it with and without --no-tls); peak \
            RSS <= 32 MB and unchanged with a 50 MB message in the corpus.
            """
    )

    @OptionGroup var options: BenchRunOptions

    @Option(help: "Size in MB of the extra message for the memory check (0: skip that phase).")
    var hugeMessageMb = 50

    @Option(parsing: .upToNextOption, help: "Tools to compare (default: mailferry mbsync doveadm).")
    var tools: [String] = SyncTool.allCases.map(\.rawValue)

    func validate() throws {
        for name in tools where SyncTool(rawValue: name) == nil {
            throw ValidationError("unknown tool \(name) (mailferry, mbsync, doveadm)")
        }
    }

    func run() async throws {
        for (program, package) in SyncTool.requiredPrograms where !FileManager.default.isExecutableFile(atPath: program) {
            throw BenchError("\(program) is missing: apt-get install \(package)")
        }
        let rig = try options.makeRig()
        defer { rig.cleanUp(keepAccounts: options.keepAccounts, keepFiles: options.keepFiles) }
        let loadBefore = LoadAverage.describe()
        var source = try await options.prepareSource(rig)
        let corpus = source.totals.census
        print("source \(source.user.name) on Courier: \(source.totals.census.description); load average \(loadBefore)")

        let selected = tools.compactMap(SyncTool.init(rawValue:))
        var results = Dictionary(uniqueKeysWithValues: selected.map { ($0, SyncMeasurement(title: $0.title)) })
        var verifyRun: TimedRun?
        var loads = Samples()
        for round in 0..<options.repeat {
            for index in selected.indices {
                let tool = selected[(index + round) % selected.count]
                loads.append(LoadAverage.read().first ?? .nan)
                let (full, noop, destination) = try await measure(tool, source: source, round: round, rig: rig)
                let census = try rig.census(destination)
                results[tool]!.record(full: full, noop: noop, census: census)
                if census.messages != source.totals.messages {
                    results[tool]!.problems.append("\(tool.title): the destination holds \(census.description), the source \(source.totals.census.description)")
                }
                if tool == .mailferry, verifyRun == nil {
                    verifyRun = try verifyDeep(source: source, destination: destination, round: round, rig: rig)
                }
                // The copy stays until the end (SyncBenchRig.cleanUp): emptying it here would make
                // the next tool's run pay for it (see the discussion above).
                print("  round \(round + 1) \(tool.rawValue): full \(BenchTable.format(full.seconds, decimals: 2)) s, no-op \(BenchTable.format(noop.seconds, decimals: 2)) s, peak RSS \(BenchTable.format(full.maxRSSMegabytes)) MB")
            }
        }

        var huge: SyncMeasurement?
        if hugeMessageMb > 0, selected.contains(.mailferry) {
            let added = try await source.appendLargeMessage(megabytes: hugeMessageMb, rig: rig)
            try await source.refresh(rig: rig)
            var measurement = SyncMeasurement(title: "mailferry sync, + one \(hugeMessageMb) MB message")
            for round in 0..<options.repeat {
                loads.append(LoadAverage.read().first ?? .nan)
                let (full, noop, destination) = try await measure(.mailferry, source: source, round: round + 100, rig: rig)
                let census = try rig.census(destination)
                measurement.record(full: full, noop: noop, census: census)
                if census.messages != source.totals.messages {
                    measurement.problems.append("\(measurement.title): the destination holds \(census.description), the source \(source.totals.census.description)")
                }
                print("  round \(round + 1) mailferry + \(added / 1_048_576) MB message: full \(BenchTable.format(full.seconds, decimals: 2)) s, peak RSS \(BenchTable.format(full.maxRSSMegabytes)) MB")
            }
            huge = measurement
        }

        let report = SyncBenchReport(
            source: corpus, tools: selected.map { results[$0]! }, mailferry: results[.mailferry], mbsync: results[.mbsync], doveadm: results[.doveadm],
            huge: huge, verify: verifyRun, loadBefore: loadBefore, loadDuring: loads, loadAfter: LoadAverage.describe(),
            rounds: options.repeat, startTLS: !options.noTLS)
        print(report.render())
    }

    /// One full run into a fresh destination, then the same command again (the no-op re-run).
    private func measure(_ tool: SyncTool, source: BenchSource, round: Int, rig: SyncBenchRig) async throws -> (TimedRun, TimedRun, TestbedUser) {
        let destination = try await rig.freshAccount(prefix: "sb" + tool.rawValue.prefix(8))
        let directory = try rig.directory("\(tool.rawValue)-\(round)")
        var command = try tool.command(source: source.user, destination: destination, directory: directory, rig: rig)
        command.label = "full"
        let full = try command.run(in: directory)
        command.label = "noop"
        let noop = try command.run(in: directory)
        return (full, noop, destination)
    }

    /// `mailferry verify --deep` on mailferry's copy: the correctness half of the benchmark.
    private func verifyDeep(source: BenchSource, destination: TestbedUser, round: Int, rig: SyncBenchRig) throws -> TimedRun {
        let directory = try rig.directory("mailferry-\(round)")
        let arguments = ["verify", "--deep", "--quiet"]
            + (try SyncTool.mailferryArguments(source: source.user, destination: destination, state: directory, rig: rig))
        return try TimedCommand(label: "verify", program: rig.binary("mailferry"), arguments: arguments).run(in: directory)
    }
}
