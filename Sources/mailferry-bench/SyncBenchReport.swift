import Foundation

/// The tables of `scripts/bench sync`: every tool side by side, mailferry's ratios against
/// each peer, the memory check with a huge message, and the targets of issue 14.
struct SyncBenchReport {
    var source: Census
    var tools: [SyncMeasurement]
    var mailferry: SyncMeasurement?
    var mbsync: SyncMeasurement?
    var doveadm: SyncMeasurement?
    var huge: SyncMeasurement?
    var verify: TimedRun?
    var loadBefore: String
    var loadDuring: Samples
    var loadAfter: String
    var rounds: Int
    var startTLS: Bool

    /// Extra RSS still counted as "unchanged" (allocator noise between runs).
    static let rssTolerance = 2.0
    static let rssLimit = 32.0

    func render() -> String {
        var lines: [String] = []
        lines.append("")
        lines.append("sync benchmark, \(Self.timestamp()), \(Self.machine()); \(rounds) rounds, min / median; "
            + (startTLS ? "STARTTLS on both sides" : "plaintext on loopback"))
        lines.append("source: Courier, \(source.description); destination: Dovecot, a fresh account per run")
        lines.append("load average (1/5/15 min): before \(loadBefore), during runs \(BenchTable.format(loadDuring.min, decimals: 2))-\(BenchTable.format(loadDuring.max, decimals: 2)) (1 min), after \(loadAfter)")
        var table = BenchTable(header: ["tool", "full run s", "msgs/s", "MB/s", "no-op re-run s", "peak RSS MB (full / no-op)", "client CPU s", "destination after the full run"])
        for tool in tools + (huge.map { [$0] } ?? []) {
            let isHuge = tool.title == huge?.title
            let median = tool.full.median
            let messages = isHuge ? tool.census?.messages ?? source.messages : source.messages
            let bytes = isHuge ? tool.census?.bytes ?? source.bytes : source.bytes
            table.rows.append([
                tool.title, tool.full.minMedian(), BenchTable.format(Double(messages) / median, decimals: 0),
                BenchTable.format(Double(bytes) / 1e6 / median), tool.noop.minMedian(),
                BenchTable.format(tool.fullRSS.max) + " / " + BenchTable.format(tool.noopRSS.max),
                BenchTable.format(tool.fullCPU.median, decimals: 2), tool.census?.description ?? "-",
            ])
        }
        lines.append(table.render())
        lines.append("")
        lines += ratios()
        lines += targets()
        let problems = (tools + (huge.map { [$0] } ?? [])).flatMap(\.problems)
        if !problems.isEmpty {
            lines.append("")
            lines.append("PROBLEMS:")
            lines += problems
        }
        return lines.joined(separator: "\n")
    }

    /// mailferry against each peer: how many times faster (peer time / mailferry time).
    private func ratios() -> [String] {
        guard let mailferry else { return [] }
        var table = BenchTable(header: ["mailferry vs", "full run: x faster (median / min)", "no-op re-run: x faster (median / min)", "peak RSS: x smaller"])
        for peer in tools where peer.title != mailferry.title {
            table.rows.append([
                peer.title,
                Self.ratio(peer.full.median, mailferry.full.median) + " / " + Self.ratio(peer.full.min, mailferry.full.min),
                Self.ratio(peer.noop.median, mailferry.noop.median) + " / " + Self.ratio(peer.noop.min, mailferry.noop.min),
                Self.ratio(peer.fullRSS.max, mailferry.fullRSS.max),
            ])
        }
        return table.rows.isEmpty ? [] : [table.render(), ""]
    }

    private func targets() -> [String] {
        guard let mailferry else { return [] }
        var table = BenchTable(header: ["target (issue 14)", "measured (median)", "met"])
        if let mbsync {
            let full = mbsync.full.median / mailferry.full.median
            table.rows.append(["full run >= 2x faster than mbsync", Self.ratio(mbsync.full.median, mailferry.full.median), Self.verdict(full >= 2)])
            let noop = mbsync.noop.median / mailferry.noop.median
            table.rows.append(["no-op re-run >= 1.5x faster than mbsync", Self.ratio(mbsync.noop.median, mailferry.noop.median), Self.verdict(noop >= 1.5)])
        }
        if let doveadm {
            let full = doveadm.full.median / mailferry.full.median
            table.rows.append(["full run >= 1.3x faster than doveadm backup", Self.ratio(doveadm.full.median, mailferry.full.median), Self.verdict(full >= 1.3)])
        }
        let peak = mailferry.fullRSS.max
        table.rows.append(["peak RSS <= 32 MB", BenchTable.format(peak) + " MB", Self.verdict(peak <= Self.rssLimit)])
        if let huge {
            let hugePeak = max(huge.fullRSS.max, huge.noopRSS.max)
            let basePeak = max(mailferry.fullRSS.max, mailferry.noopRSS.max)
            table.rows.append([
                "peak RSS unchanged with a huge message (+\(BenchTable.format(Self.rssTolerance, decimals: 0)) MB noise)",
                "\(BenchTable.format(basePeak)) -> \(BenchTable.format(hugePeak)) MB",
                Self.verdict(hugePeak <= basePeak + Self.rssTolerance),
            ])
        }
        if let verify {
            table.rows.append([
                "mailferry verify --deep on mailferry's copy exits 0", "exit \(verify.status) in \(BenchTable.format(verify.seconds, decimals: 2)) s",
                Self.verdict(verify.status == 0),
            ])
        }
        var lines = [table.render()]
        if let verify, verify.status != 0 { lines.append("verify said:\n" + verify.stdout.split(separator: "\n").prefix(30).joined(separator: "\n")) }
        return lines
    }

    static func ratio(_ peer: Double, _ ours: Double) -> String {
        guard peer.isFinite, ours.isFinite, ours > 0 else { return "-" }
        return BenchTable.format(peer / ours, decimals: 2) + "x"
    }

    static func verdict(_ met: Bool) -> String { met ? "yes" : "NO" }

    static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
    }

    /// "2 cores (CPU model)".
    static func machine() -> String {
        let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = info.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" } ?? "unknown CPU"
        return "\(ProcessInfo.processInfo.activeProcessorCount) cores (\(model))"
    }
}
