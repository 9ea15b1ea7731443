import ArgumentParser
import Forward
import Foundation
import Logging
import NIOPosix

/// `mailferry-bench forward`: what the forwarder costs a client, against a direct connection
/// to the same server measured in the same run, interleaved (the order alternates per run):
/// throughput of one large reply (a big message's FETCH) and the round trip of small
/// commands (p50/p99). Client, forwarder and server share loopback and this process's event
/// loops, so the forwarder's own cost is what differs between the two paths.
struct ForwardBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forward",
        abstract: "Forwarder throughput and added latency against a direct connection (loopback).",
        discussion: """
            Targets (issue 17): forwarded throughput at least 90 % of direct, less than 1 ms
            added per round trip. Each run measures both paths; the table gives the median over
            runs and, in brackets, the range. Use small sizes on a loaded machine.
            """
    )

    @Option(help: "Megabytes in the large reply, per path and run.")
    var megabytes: Int = 16

    @Option(help: "Small round trips (PING/PONG) per path and run.")
    var roundTrips: Int = 2000

    @Option(help: "Runs; each measures both paths.")
    var runs: Int = 3

    struct PathRun {
        var megabytesPerSecond: Double
        var p50: Double
        var p99: Double
    }

    func validate() throws {
        guard megabytes >= 1, roundTrips >= 10, runs >= 1 else { throw ValidationError("--megabytes ≥ 1, --round-trips ≥ 10, --runs ≥ 1") }
    }

    func run() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let direct = try await ForwardBenchUpstream.start(proxyHeader: false, group: group)
        let behind = try await ForwardBenchUpstream.start(proxyHeader: true, group: group)
        var logger = Logger(label: "mailferry.bench.forward")
        logger.logLevel = .warning
        let forwarder = try await Forwarder.start(
            ForwardConfiguration(listeners: [.init(name: "bench", listen: .init(host: "127.0.0.1", port: 0), upstream: .init(host: "127.0.0.1", port: behind.port))]),
            logger: logger, group: group)
        defer { print("load average at the end: \(LoadAverage.describe())") }
        print("forward: \(megabytes) MB reply, \(roundTrips) round trips, \(runs) runs; load average \(LoadAverage.describe())")
        var directRuns: [PathRun] = []
        var forwardedRuns: [PathRun] = []
        do {
            for run in 1...runs {
                let order = run % 2 == 1 ? [false, true] : [true, false]
                for forwarded in order {
                    let result = try measure(port: forwarded ? forwarder.listeners[0].port : direct.port)
                    if forwarded { forwardedRuns.append(result) } else { directRuns.append(result) }
                }
            }
        } catch {
            await forwarder.stop(grace: .zero)
            throw error
        }
        await forwarder.stop(grace: .zero)
        await direct.stop()
        await behind.stop()
        print(Self.report(direct: directRuns, forwarded: forwardedRuns))
    }

    /// One path: warm-up, the round trips, then the large reply, on one connection.
    func measure(port: Int) throws -> PathRun {
        let client = try ForwardBenchClient(port: port)
        for _ in 0..<20 { _ = try client.exchange("PING\n", expecting: 5) }
        var latencies: [Double] = []
        latencies.reserveCapacity(roundTrips)
        for _ in 0..<roundTrips { latencies.append(try client.exchange("PING\n", expecting: 5)) }
        let bytes = megabytes * 1_000_000
        let seconds = try client.exchange("GET \(bytes)\n", expecting: bytes)
        latencies.sort()
        return PathRun(megabytesPerSecond: Double(megabytes) / seconds, p50: Self.percentile(latencies, 0.50), p99: Self.percentile(latencies, 0.99))
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        sorted[min(sorted.count - 1, max(0, Int((Double(sorted.count) * p).rounded(.up)) - 1))]
    }

    static func report(direct: [PathRun], forwarded: [PathRun]) -> String {
        func cell(_ values: [Double], _ decimals: Int) -> String {
            let samples = Samples(values)
            return BenchTable.format(samples.median, decimals: decimals)
                + " (\(BenchTable.format(samples.min, decimals: decimals))-\(BenchTable.format(samples.max, decimals: decimals)))"
        }
        var table = BenchTable(header: ["path", "MB/s", "round trip p50 ms", "p99 ms"])
        for (name, runs) in [("direct", direct), ("through the forwarder", forwarded)] {
            table.rows.append([name, cell(runs.map(\.megabytesPerSecond), 0), cell(runs.map { $0.p50 * 1000 }, 3), cell(runs.map { $0.p99 * 1000 }, 3)])
        }
        let ratios = zip(forwarded, direct).map { $0.megabytesPerSecond / $1.megabytesPerSecond }
        let added = zip(forwarded, direct).map { ($0.p50 - $1.p50) * 1000 }
        let addedTail = zip(forwarded, direct).map { ($0.p99 - $1.p99) * 1000 }
        let ratio = Samples(ratios).median
        let addedMedian = Samples(added).median
        return table.render() + "\n"
            + "throughput through the forwarder: \(BenchTable.format(ratio * 100, decimals: 1)) % of direct "
            + "(target ≥ 90 %: \(ratio >= 0.9 ? "met" : "NOT met"))\n"
            + "added per round trip: p50 \(BenchTable.format(addedMedian, decimals: 3)) ms, p99 \(BenchTable.format(Samples(addedTail).median, decimals: 3)) ms "
            + "(target < 1 ms: \(addedMedian < 1 ? "met" : "NOT met"))"
    }
}
