import ArgumentParser
import Foundation
import TestbedClient

/// `scripts/bench verify`: `mailferry verify --deep` on a freshly migrated account next to
/// the read bound, the least work that reads every body on both servers (one connection per
/// server, per folder one `UID FETCH 1:* BODY.PEEK[]`, both servers at once, hashing nothing).
struct VerifyBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "mailferry verify --deep vs the read bound (a plain fetch of every body from both servers).",
        discussion: """
            Refills the Courier account tbsyncbench with the benchmark profile, copies it with \
            mailferry sync into a fresh Dovecot account, then alternates the read bound and \
            mailferry verify --deep (--repeat times each; min / median). Also shows verify without \
            --deep (fingerprints recorded by sync are reused; only metadata is read).
            Target (issue 14): verify --deep within 1.1x of the read bound.
            """
    )

    @OptionGroup var options: BenchRunOptions


    func run() async throws {
        let rig = try options.makeRig()
        defer { rig.cleanUp(keepAccounts: options.keepAccounts, keepFiles: options.keepFiles) }
        let loadBefore = LoadAverage.describe()
        let source = try await options.prepareSource(rig)
        let destination = try await rig.freshAccount(prefix: "sbverify")
        let state = try rig.directory("verify")
        let arguments = try SyncTool.mailferryArguments(source: source.user, destination: destination, state: state, rig: rig)
        let sync = try TimedCommand(label: "sync", program: rig.binary("mailferry"), arguments: ["sync", "--quiet"] + arguments).run(in: state)
        guard sync.status == 0 else { throw BenchError("mailferry sync exited \(sync.status):\n\(sync.tail)") }
        let census = try rig.census(destination)
        print("source \(source.user.name): \(source.totals.census.description); copied by mailferry sync in \(BenchTable.format(sync.seconds, decimals: 2)) s; load average \(loadBefore)")

        var bound = Samples(), courier = Samples(), dovecot = Samples(), deep = Samples(), shallow = Samples()
        var deepRSS = Samples(), loads = Samples()
        var failures: [String] = []
        var boundBytes = 0
        for round in 0..<options.repeat {
            loads.append(LoadAverage.read().first ?? .nan)
            let read = try await ReadBound.readBoth(
                (rig.sourceEndpoint, try rig.sourceCredentials(source.user)), (rig.destinationEndpoint, try rig.destinationCredentials(destination)))
            bound.append(read.seconds)
            courier.append(read.first.seconds)
            dovecot.append(read.second.seconds)
            boundBytes = read.first.bytes + read.second.bytes
            loads.append(LoadAverage.read().first ?? .nan)
            let verify = try TimedCommand(label: "deep\(round)", program: rig.binary("mailferry"), arguments: ["verify", "--deep", "--quiet"] + arguments)
                .run(in: state)
            deep.append(verify.seconds)
            deepRSS.append(verify.maxRSSMegabytes)
            if verify.status != 0 { failures.append("verify --deep exited \(verify.status):\n\(verify.stdout.split(separator: "\n").prefix(20).joined(separator: "\n"))") }
            let quick = try TimedCommand(label: "shallow\(round)", program: rig.binary("mailferry"), arguments: ["verify", "--quiet"] + arguments)
                .run(in: state)
            shallow.append(quick.seconds)
            if quick.status != 0 { failures.append("verify exited \(quick.status)") }
            print("  round \(round + 1): read bound \(BenchTable.format(read.seconds, decimals: 2)) s, verify --deep \(BenchTable.format(verify.seconds, decimals: 2)) s, verify \(BenchTable.format(quick.seconds, decimals: 2)) s")
        }

        print("")
        print("verify benchmark, \(SyncBenchReport.timestamp()), \(SyncBenchReport.machine()); \(options.repeat) rounds, min / median; "
            + (options.noTLS ? "plaintext on loopback" : "STARTTLS on both sides"))
        print("account: \(source.totals.census.description) on Courier, \(census.description) on Dovecot")
        print("load average (1/5/15 min): before \(loadBefore), during runs \(BenchTable.format(loads.min, decimals: 2))-\(BenchTable.format(loads.max, decimals: 2)) (1 min), after \(LoadAverage.describe())")
        var table = BenchTable(header: ["what", "seconds", "MB/s (both sides)", "x read bound (median)", "peak RSS MB"])
        let megabytes = Double(boundBytes) / 1e6
        func row(_ name: String, _ samples: Samples, rss: Samples? = nil) {
            table.rows.append([name, samples.minMedian(), BenchTable.format(megabytes / samples.median),
                               BenchTable.format(samples.median / bound.median, decimals: 2) + "x", rss.map { BenchTable.format($0.max) } ?? "-"])
        }
        row("read bound: both servers at once", bound)
        table.rows.append(["  of which Courier alone", courier.minMedian(), "-", "-", "-"])
        table.rows.append(["  of which Dovecot alone", dovecot.minMedian(), "-", "-", "-"])
        row("mailferry verify --deep", deep, rss: deepRSS)
        row("mailferry verify (fingerprints from the sync state)", shallow)
        print(table.render())
        let ratio = deep.median / bound.median
        print("target: verify --deep within 1.1x of the read bound: \(BenchTable.format(ratio, decimals: 2))x, met: \(SyncBenchReport.verdict(ratio <= 1.1))")
        if !failures.isEmpty { print("PROBLEMS:\n" + failures.joined(separator: "\n")) }
    }
}
