import ArgumentParser
import CorpusGenerator
import Foundation
import Logging
import TestbedClient
import Maildir
import StateStore
import SyncBackends
import SyncEngine

/// `scripts/bench maildir`: Courier Maildir → Dovecot Maildir with mailferry (UIDs kept,
/// every batch flushed before it is confirmed) next to the disk's limit (`cp -a` of the same
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
            destination, alternating; the median is shown. Target: mailferry within 2x of cp -a && sync.
            """
    )

    @Option(help: "Timed runs of each contender (the median is reported).") var runs = 3
    @Option(help: "Messages (default: the tbbench profile's 2,000).") var messages = CorpusProfile.benchmark.messages

    func run() async throws {
        let testbed = try Testbed.require()
        let account = try testbed.makeAccount(prefix: "mdbench")
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
        try BenchCourier.openEveryFolder(testbed, account)
        try ExternalProgram.run("/bin/sh", ["-c", "find \"$1\" -type f -exec cat {} + >/dev/null", "sh", account.oldMaildir])

        let owner = try MaildirOwnership.parse(owner: testbed.new.mailOwner ?? "tbvmail")
        let scratch = NSTemporaryDirectory() + "mailferry-bench-maildir-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let loadBefore = Self.loadAverage()
        var times: [String: [Double]] = [:]
        var incremental: [String: Double] = [:]
        for run in 1...max(1, runs) {
            // Each contender starts with nothing dirty in the page cache (untimed sync), so that
            // none pays for the previous one's writes.
            let copy = scratch + "/cp-\(run)"
            try ExternalProgram.run("/bin/sync", [])
            times["cp", default: []].append(try measure {
                try ExternalProgram.run("/bin/cp", ["-a", account.oldMaildir, copy])
                try ExternalProgram.run("/bin/sync", [])
            })
            try FileManager.default.removeItem(atPath: copy)

            // Into the account's own Dovecot Maildir, owned by Dovecot's mail user, as an admin runs it.
            try? FileManager.default.removeItem(atPath: account.newHome)
            try ExternalProgram.run("/bin/sync", [])
            let sync = BenchMaildirSync(
                source: account.oldMaildir, destination: account.newMaildir, owner: owner, state: scratch + "/state-\(run)", account: account.name)
            times["mailferry", default: []].append(try await sync.timed(expecting: count))
            if run == 1 { incremental["mailferry"] = try await sync.timed(expecting: 0) }

            try? FileManager.default.removeItem(atPath: account.newHome)
            try ExternalProgram.run("/bin/sync", [])
            let doveadm = try BenchDoveadm(testbed: testbed, user: account)
            times["doveadm", default: []].append(try measure { try doveadm.backup() })
            if run == 1 { incremental["doveadm"] = try measure { try doveadm.backup() } }
        }
        print(render(times: times, incremental: incremental, messages: count, bytes: bytes))
        print("load average before / after: \(loadBefore) / \(Self.loadAverage()) (2 cores, shared: other work on the machine moves every number)")
    }

    /// The first three fields of /proc/loadavg.
    static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?"
        return text.split(separator: " ").prefix(3).joined(separator: " ")
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
            + "\nmailferry: \(BenchTable.format(ratio, decimals: 2))x cp -a && sync (target: within 2x) -> \(ratio <= 2 ? "met" : "NOT met")"
            + "; per run: \(paired.map { BenchTable.format($0, decimals: 2) }.joined(separator: " ")) (median \(BenchTable.format(median(paired), decimals: 2)))"
    }
}
