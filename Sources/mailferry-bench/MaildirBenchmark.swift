import ArgumentParser
import CorpusGenerator
import Foundation
import TestbedClient

/// `scripts/bench maildir`: Courier Maildir → Dovecot Maildir with the `mailferry` executable
/// (UIDs kept, every batch flushed before it is confirmed), measured from outside, next to the disk's limit (`cp -a` of the same
/// Maildir, then `sync`) and Dovecot's own `doveadm backup -R imapc:` from Courier, on a
/// fresh account filled with the tbbench profile (about 2,000 messages, 130 MB).
struct MaildirBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maildir",
        abstract: "Courier Maildir → Dovecot Maildir: mailferry vs cp -a && sync vs doveadm backup -R imapc:.",
        discussion: """
            Needs the testbed (scripts/testbed up) and root. Creates an account, fills its Courier \
            Maildir with the tbbench profile and opens every folder over IMAP (so Courier has its UID \
            databases, as on a real server); the source is read once before timing, so every \
            contender reads from the page cache. Each contender runs --runs times into a fresh \
            destination, alternating; the median is shown. mailferry runs as its executable (process \
            start and the last flush included, as an admin sees it) into a directory never used \
            before, and nothing is deleted until the end (ext4 without a journal skips recently freed \
            inodes). Target (issue 14): mailferry within 1.5x of cp -a && sync.
            """
    )

    @Option(help: "Timed runs of each contender (the median is reported).") var runs = 3
    @Option(help: "Messages (default: the tbbench profile's 2,000).") var messages = CorpusProfile.benchmark.messages

    func run() async throws {
        let testbed = try Testbed.require()
        let account = try await testbed.makeAccount(prefix: "mdbench")
        // Not `scripts/testbed reset`: it also drops every queued message of the testbed, which
        // another suite running meanwhile may be waiting for. The account itself stays (prune).
        defer {
            try? FileManager.default.removeItem(atPath: account.oldMaildir)
            try? FileManager.default.removeItem(atPath: account.newHome)
        }
        var profile = CorpusProfile.benchmark
        profile.messages = messages
        let manifest = try CorpusWriter(profile: profile, seed: 1, user: account.name)
            .write(into: account.oldMaildir, owner: try CorpusOwner.lookup(account.name), replace: true)
        let count = manifest.folders.reduce(0) { $0 + $1.messages.count }
        let bytes = manifest.folders.reduce(0) { $0 + $1.messages.reduce(0) { $0 + $1.size } }
        try await BenchCourier.openEveryFolder(testbed, account)
        try ExternalProgram.run("/bin/sh", ["-c", "find \"$1\" -type f -exec cat {} + >/dev/null", "sh", account.oldMaildir])

        let owner = testbed.new.mailOwner ?? "tbvmail"
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("mailferry").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchError("\(binary) is missing: build it with swift build -c release (scripts/bench builds it)")
        }
        let scratch = NSTemporaryDirectory() + "mailferry-bench-maildir-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let loadBefore = LoadAverage.describe()
        var times: [String: [Double]] = [:]
        var incremental: [String: Double] = [:]
        var mailferryRuns: [TimedRun] = []
        for run in 1...max(1, runs) {
            // Each contender starts with nothing dirty in the page cache (untimed sync), so that
            // none pays for the previous one's writes, and writes into a directory never used
            // before: nothing is deleted until the end, because ext4 without a journal skips
            // inodes freed in the last minute when it allocates new ones.
            let copy = scratch + "/cp-\(run)"
            try ExternalProgram.run("/bin/sync", [])
            times["cp", default: []].append(try measure {
                try ExternalProgram.run("/bin/cp", ["-a", account.oldMaildir, copy])
                try ExternalProgram.run("/bin/sync", [])
            })

            // The mailferry executable, as an admin runs it, into a fresh Maildir owned by
            // Dovecot's mail user.
            let target = scratch + "/mailferry-\(run)"
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
            try ExternalProgram.run("/bin/chown", [owner, target])
            try ExternalProgram.run("/bin/sync", [])
            let sync = BenchMaildirSync(
                binary: binary, source: account.oldMaildir, destination: target + "/Maildir", owner: owner,
                state: scratch + "/state-\(run)", directory: scratch)
            let timed = try sync.timed(expecting: count)
            mailferryRuns.append(timed)
            times["mailferry", default: []].append(timed.seconds)
            if run == 1 { incremental["mailferry"] = try sync.timed(expecting: 0).seconds }

            // Dovecot writes into the account's own home: that one is emptied between runs.
            try? FileManager.default.removeItem(atPath: account.newHome)
            try ExternalProgram.run("/bin/sync", [])
            let doveadm = try BenchDoveadm(testbed: testbed, user: account)
            times["doveadm", default: []].append(try measure { try doveadm.backup() })
            if run == 1 { incremental["doveadm"] = try measure { try doveadm.backup() } }
        }
        print(render(times: times, incremental: incremental, messages: count, bytes: bytes))
        let cpu = mailferryRuns.map(\.cpuSeconds).sorted()[mailferryRuns.count / 2]
        let rss = mailferryRuns.map(\.maxRSSMegabytes).max() ?? 0
        print("mailferry: client CPU \(BenchTable.format(cpu, decimals: 2)) s (median), peak RSS \(BenchTable.format(rss)) MB (largest run)")
        print("load average before / after: \(loadBefore) / \(LoadAverage.describe()) (2 cores, shared: other work on the machine moves every number)")
    }

    func render(times: [String: [Double]], incremental: [String: Double], messages: Int, bytes: Int) -> String {
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        let baseline = median(times["cp"] ?? [1])
        var table = BenchTable(header: ["run", "seconds (median)", "all runs", "msgs/s", "MB/s", "x cp -a && sync", "no-op re-run s"])
        for (key, label) in [("cp", "cp -a && sync (the disk's limit)"), ("mailferry", "mailferry sync maildir: -> maildir:"),
                             ("doveadm", "doveadm backup -R imapc: (Courier IMAP)")] {
            guard let values = times[key] else { continue }
            let seconds = median(values)
            table.rows.append([
                label, BenchTable.format(seconds, decimals: 2), values.map { BenchTable.format($0, decimals: 2) }.joined(separator: " "),
                BenchTable.format(Double(messages) / seconds, decimals: 0), BenchTable.format(Double(bytes) / 1e6 / seconds),
                BenchTable.format(seconds / baseline, decimals: 2), incremental[key].map { BenchTable.format($0, decimals: 2) } ?? "-",
            ])
        }
        let ratio = median(times["mailferry"] ?? [0]) / baseline
        // Each run's mailferry time over the cp -a && sync measured just before it: less
        // sensitive to load that changes during the benchmark than the ratio of the medians.
        let paired = zip(times["mailferry"] ?? [], times["cp"] ?? []).map { $0 / $1 }
        return "Courier Maildir -> Dovecot Maildir: \(messages) messages, \(BenchTable.format(Double(bytes) / 1e6)) MB, median of \(runs)\n"
            + table.render()
            + "\nmailferry: \(BenchTable.format(ratio, decimals: 2))x cp -a && sync (target: within 1.5x) -> \(ratio <= 1.5 ? "met" : "NOT met")"
            + "; per run: \(paired.map { BenchTable.format($0, decimals: 2) }.joined(separator: " ")) (median \(BenchTable.format(median(paired), decimals: 2)))"
    }
}
