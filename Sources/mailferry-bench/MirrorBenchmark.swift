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
            emptied afterwards. Targets: >= 1,000 messages/s of 5 KB over 10 sessions; p99 added \
            latency <= 5 ms.
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

    struct Row {
        var target: String
        var sourceRate: Double
        var drainRate: Double?
        var probe: LatencyProbe.Result
    }

    func run() async throws {
        let directory = spool ?? NSTemporaryDirectory() + "mailferry-bench-\(UUID().uuidString)"
        defer { if spool == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let sinkPort = Int.random(in: 30_000...39_999)
        let sink = try ExternalProgram.start("/usr/sbin/smtp-sink", ["-u", "nobody", "127.0.0.1:\(sinkPort)", "1024"])
        defer { sink.terminate() }
        var rows: [Row] = []
        // The load generator's ceiling: smtp-source straight into smtp-sink (no fsync, no relay).
        try await Task.sleep(for: .milliseconds(200))
        try await smtpSource(port: sinkPort, recipient: "bench@bench.test", count: 200)
        let ceiling = try await smtpSource(port: sinkPort, recipient: "bench@bench.test", count: messages)
        let rig = MirrorRig(directory: directory, sinkPort: sinkPort)
        try await rig.run { port, spool in
            let recipient = "bench@bench.test.mirror.invalid"
            try await smtpSource(port: port, recipient: recipient, count: 200)
            _ = try await MirrorRig.waitForDrain(spool)
            let rate = try await smtpSource(port: port, recipient: recipient, count: messages)
            let drain = try await MirrorRig.waitForDrain(spool)
            let relayed = drain.map { Double(messages) / (Double(messages) / rate + $0) }
            let probe = try await LatencyProbe.run(host: "127.0.0.1", port: port, recipient: recipient, messages: probeMessages, sessions: sessions, size: size)
            _ = try await MirrorRig.waitForDrain(spool)
            rows.append(Row(target: "mailferry mirror (fsync, -> smtp-sink)", sourceRate: rate, drainRate: relayed, probe: probe))
        }
        if !skipPostfix {
            let testbed = try Testbed.require()
            let account = try await testbed.makeAccount(prefix: "mbench")
            defer { _ = try? ExternalProgram.run(testbed.script, ["reset", account.name]) }
            let old = testbed.old.smtp
            try await smtpSource(port: old.port, recipient: account.oldAddress, count: 200)
            let rate = try await smtpSource(port: old.port, recipient: account.oldAddress, count: messages)
            let probe = try await LatencyProbe.run(host: old.host, port: old.port, recipient: account.oldAddress, messages: probeMessages, sessions: sessions, size: size)
            rows.append(Row(target: "testbed old Postfix (-> local Maildir)", sourceRate: rate, drainRate: nil, probe: probe))
        }
        print(render(rows))
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

    func render(_ rows: [Row]) -> String {
        var table = BenchTable(header: ["target", "msgs/s (smtp-source)", "relayed msgs/s (end to end)", "probe msgs/s", "p50 ms", "p99 ms"])
        for row in rows {
            table.rows.append([row.target, BenchTable.format(row.sourceRate, decimals: 0), row.drainRate.map { BenchTable.format($0, decimals: 0) } ?? "-",
                               BenchTable.format(row.probe.messagesPerSecond, decimals: 0),
                               BenchTable.format(row.probe.percentile(0.5) * 1000, decimals: 2), BenchTable.format(row.probe.percentile(0.99) * 1000, decimals: 2)])
        }
        var out = "mirror benchmark: \(messages) messages of \(size) octets over \(sessions) sessions"
            + (reuseConnections ? " (smtp-source -d: connections reused)" : " (smtp-source: one connection per message)")
            + "; latency probe: \(probeMessages) messages, sessions kept open\n" + table.render()
        if rows.count == 2 {
            let mirror = rows[0].probe
            let postfix = rows[1].probe
            out += "\nratio mirror/Postfix msgs/s (smtp-source): \(BenchTable.format(rows[0].sourceRate / rows[1].sourceRate, decimals: 2))"
            out += "\nadded latency vs Postfix: p50 \(BenchTable.format((mirror.percentile(0.5) - postfix.percentile(0.5)) * 1000, decimals: 2)) ms, "
            out += "p99 \(BenchTable.format((mirror.percentile(0.99) - postfix.percentile(0.99)) * 1000, decimals: 2)) ms"
        }
        let failures = rows.map(\.probe.failures).reduce(0, +)
        if failures > 0 { out += "\nWARNING: \(failures) probe messages were not accepted" }
        return out
    }
}
