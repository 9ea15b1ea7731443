import ArgumentParser
import Foundation
import Logging
import MailSpool
import TestbedClient
import Relay
import SMTPClient
import SMTPServer
import ServiceLifecycle

/// `scripts/bench mirror`: Postfix's smtp-source drives `mailferry mirror` (fsync before
/// every 250, relaying to smtp-sink) and, for comparison, the testbed's old Postfix, with the
/// same load; then a latency probe measures each transaction on both.
struct MirrorBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mirror",
        abstract: "mailferry mirror vs the testbed's old Postfix: messages/s and per-message latency.",
        discussion: """
            Needs Debian's postfix package (smtp-source, smtp-sink) and, for the Postfix row, the \
            testbed (scripts/testbed up). The Postfix row delivers into a fresh testbed account, \
            emptied afterwards. Targets (issue 14), with a new connection per message and with \
            --reuse-connections: the mirror accepts >= 3x the messages/s of the old Postfix, and \
            its p99 acceptance latency is below Postfix's p50. The last line is smtp-source into \
            smtp-sink alone: the load generator's own ceiling on this machine.
            """
    )

    @Option(help: "Messages per smtp-source run.") var messages = 5000
    @Option(help: "Parallel SMTP sessions.") var sessions = 10
    @Option(help: "Message size in octets.") var size = 5120
    @Option(help: "Messages for the latency probe.") var probeMessages = 2000
    @Option(help: "Spool directory for the mirror (default: a temporary directory, removed after).") var spool: String?
    @Flag(help: "Skip the Postfix comparison (no testbed needed).") var skipPostfix = false
    @Flag(help: "smtp-source -d: keep each session's connection for several messages (as Postfix's connection cache does).")
    var reuseConnections = false

    @Option(help: "Rounds, the mirror and Postfix one after the other in each (medians are reported).")
    var `repeat` = 3

    /// One target's rounds.
    struct Runs {
        var target: String
        var sourceRate = Samples()
        var drainRate = Samples()
        var probeRate = Samples()
        var p50 = Samples()
        var p99 = Samples()
        var failures = 0

        mutating func append(rate: Double, drain: Double?, probe: LatencyProbe.Result) {
            sourceRate.append(rate)
            if let drain { drainRate.append(drain) }
            probeRate.append(probe.messagesPerSecond)
            p50.append(probe.percentile(0.5) * 1000)
            p99.append(probe.percentile(0.99) * 1000)
            failures += probe.failures
        }
    }

    func run() async throws {
        guard `repeat` >= 1 else { throw ValidationError("--repeat must be at least 1") }
        let directory = spool ?? NSTemporaryDirectory() + "mailferry-bench-\(UUID().uuidString)"
        defer { if spool == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let sinkPort = Int.random(in: 30_000...39_999)
        let sink = try ExternalProgram.start("/usr/sbin/smtp-sink", ["-u", "nobody", "127.0.0.1:\(sinkPort)", "1024"])
        defer { sink.terminate() }
        // The load generator's ceiling: smtp-source straight into smtp-sink (no fsync, no relay).
        try await Task.sleep(for: .milliseconds(200))
        try await smtpSource(port: sinkPort, recipient: "bench@bench.test", count: 200)
        let ceiling = try await smtpSource(port: sinkPort, recipient: "bench@bench.test", count: messages)
        // A fresh account per round: Postfix's local delivery slows as one Maildir grows by
        // thousands of messages, and emptying it would free inodes the next round's
        // deliveries then skip (see `sync --help`). All are emptied at the end.
        let testbed = skipPostfix ? nil : try Testbed.require()
        var accounts: [TestbedUser] = []
        defer { if let testbed { for account in accounts { _ = try? ExternalProgram.run(testbed.script, ["reset", account.name]) } } }
        if let testbed { for _ in 0..<`repeat` { accounts.append(try await testbed.makeAccount(prefix: "mbench")) } }
        var mirrorRuns = Runs(target: "mailferry mirror (fsync, -> smtp-sink)")
        var postfixRuns = Runs(target: "testbed old Postfix (-> local Maildir)")
        let rig = MirrorRig(directory: directory, sinkPort: sinkPort)
        try await rig.run { port, spool in
            let recipient = "bench@bench.test.mirror.invalid"
            try await smtpSource(port: port, recipient: recipient, count: 200)
            _ = try await MirrorRig.waitForDrain(spool)
            if let testbed { try await smtpSource(port: testbed.old.smtp.port, recipient: accounts[0].oldAddress, count: 200) }
            for round in 1...`repeat` {
                let rate = try await smtpSource(port: port, recipient: recipient, count: messages)
                let drain = try await MirrorRig.waitForDrain(spool)
                let relayed = drain.map { Double(messages) / (Double(messages) / rate + $0) }
                let probe = try await LatencyProbe.run(host: "127.0.0.1", port: port, recipient: recipient, messages: probeMessages, sessions: sessions, size: size)
                _ = try await MirrorRig.waitForDrain(spool)
                mirrorRuns.append(rate: rate, drain: relayed, probe: probe)
                var line = "  round \(round) mirror: \(BenchTable.format(rate, decimals: 0)) msgs/s, p99 \(BenchTable.format(probe.percentile(0.99) * 1000, decimals: 2)) ms"
                if let testbed {
                    let old = testbed.old.smtp
                    let account = accounts[round - 1]
                    let rate = try await smtpSource(port: old.port, recipient: account.oldAddress, count: messages)
                    let probe = try await LatencyProbe.run(
                        host: old.host, port: old.port, recipient: account.oldAddress, messages: probeMessages, sessions: sessions, size: size)
                    postfixRuns.append(rate: rate, drain: nil, probe: probe)
                    line += "; Postfix: \(BenchTable.format(rate, decimals: 0)) msgs/s, p50 \(BenchTable.format(probe.percentile(0.5) * 1000, decimals: 2)) ms"
                }
                print(line)
            }
        }
        print(render(testbed == nil ? [mirrorRuns] : [mirrorRuns, postfixRuns]))
        print("load generator ceiling (smtp-source -> smtp-sink, nothing stored): \(BenchTable.format(ceiling, decimals: 0)) msgs/s")
    }

    /// smtp-source's wall time for `count` messages; returns messages/s.
    @discardableResult
    func smtpSource(port: Int, recipient: String, count: Int) async throws -> Double {
        let start = ContinuousClock.now
        try ExternalProgram.run("/usr/sbin/smtp-source", (reuseConnections ? ["-d"] : []) + ["-s", String(sessions), "-m", String(count), "-l", String(size),
                                                           "-f", "bench@ext.example", "-t", recipient, "127.0.0.1:\(port)"])
        let elapsed = ContinuousClock.now - start
        return Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    func render(_ rows: [Runs]) -> String {
        var table = BenchTable(header: ["target", "msgs/s (smtp-source)", "relayed msgs/s (end to end)", "probe msgs/s", "p50 ms", "p99 ms"])
        for row in rows {
            table.rows.append([row.target, BenchTable.format(row.sourceRate.median, decimals: 0),
                               row.drainRate.isEmpty ? "-" : BenchTable.format(row.drainRate.median, decimals: 0),
                               BenchTable.format(row.probeRate.median, decimals: 0),
                               BenchTable.format(row.p50.median, decimals: 2), BenchTable.format(row.p99.median, decimals: 2)])
        }
        var out = "mirror benchmark: \(messages) messages of \(size) octets over \(sessions) sessions"
            + (reuseConnections ? " (smtp-source -d: connections reused)" : " (smtp-source: one connection per message)")
            + "; latency probe: \(probeMessages) messages, sessions kept open; medians of \(`repeat`) rounds\n" + table.render()
        if rows.count == 2 {
            let (mirror, postfix) = (rows[0], rows[1])
            let ratios = Samples(zip(mirror.sourceRate.values, postfix.sourceRate.values).map { $0 / $1 })
            out += "\nratio mirror/Postfix msgs/s (smtp-source), per round: "
                + ratios.values.map { BenchTable.format($0, decimals: 2) }.joined(separator: " ")
            out += "\nadded latency vs Postfix (medians): p50 \(BenchTable.format(mirror.p50.median - postfix.p50.median, decimals: 2)) ms, "
            out += "p99 \(BenchTable.format(mirror.p99.median - postfix.p99.median, decimals: 2)) ms"
            out += "\ntarget (issue 14): >= 3x Postfix's msgs/s -> \(ratios.median >= 3 ? "met" : "NOT met") (\(BenchTable.format(ratios.median, decimals: 2))x by the median)"
            let below = mirror.p99.median < postfix.p50.median
            out += "\ntarget (issue 14): mirror p99 below Postfix p50 -> \(below ? "met" : "NOT met") ("
                + "\(BenchTable.format(mirror.p99.median, decimals: 2)) against \(BenchTable.format(postfix.p50.median, decimals: 2)) ms)"
        }
        let failures = rows.map(\.failures).reduce(0, +)
        if failures > 0 { out += "\nWARNING: \(failures) probe messages were not accepted" }
        return out
    }
}
