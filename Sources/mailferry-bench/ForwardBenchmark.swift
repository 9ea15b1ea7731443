import ArgumentParser
import Forward
import Foundation
import Logging
import NIOPosix

/// `mailferry-bench forward`: what the forwarder costs a client, against a direct connection
/// to the same server measured in the same run, interleaved (the order alternates per run):
/// throughput of one large reply and the round trip of small commands (p50/p99), against two
/// servers. Dovecot, whose large FETCH is what a client waits for (the target applies to it),
/// and the benchmark's own line server in this process, which costs next to nothing, so the
/// forwarder's whole cost shows: its worst case, reported beside.
struct ForwardBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forward",
        abstract: "Forwarder throughput and added latency against a direct connection (loopback).",
        discussion: """
            Targets (issue 17), for a large FETCH from Dovecot: forwarded throughput at least
            90 % of direct, less than 1 ms added per round trip (NOOP). The same figures against
            the benchmark's own server, which costs next to nothing, show the forwarder's worst
            case. Each run measures both paths on both servers; the tables give the median over
            runs and, in brackets, the range. Dovecot runs as a private instance (root and
            Debian's dovecot-imapd needed); the testbed is not used.
            """
    )

    @Option(help: "Megabytes in the benchmark server's large reply, per path and run.")
    var megabytes: Int = 16

    @Option(help: "Megabytes in the message Dovecot holds, fetched whole (BODY.PEEK[]) per path and run.")
    var fetchMegabytes: Int = 64

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
        guard megabytes >= 1, fetchMegabytes >= 1, roundTrips >= 10, runs >= 1 else {
            throw ValidationError("--megabytes ≥ 1, --fetch-megabytes ≥ 1, --round-trips ≥ 10, --runs ≥ 1")
        }
    }

    func run() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let dovecot = try ForwardBenchDovecot.start(megabytes: fetchMegabytes)
        defer { dovecot.stop() }
        let direct = try await ForwardBenchUpstream.start(proxyHeader: false, group: group)
        let behind = try await ForwardBenchUpstream.start(proxyHeader: true, group: group)
        var logger = Logger(label: "mailferry.bench.forward")
        logger.logLevel = .warning
        let forwarder = try await Forwarder.start(
            ForwardConfiguration(listeners: [
                .init(name: "bench", listen: .init(host: "127.0.0.1", port: 0), upstream: .init(host: "127.0.0.1", port: behind.port)),
                .init(name: "imap", listen: .init(host: "127.0.0.1", port: 0), upstream: .init(host: "127.0.0.1", port: dovecot.proxyPort)),
            ]),
            logger: logger, group: group)
        defer { print("load average at the end: \(LoadAverage.describe())") }
        print("forward: a \(fetchMegabytes) MB FETCH from Dovecot and a \(megabytes) MB reply from the benchmark's server, "
            + "\(roundTrips) round trips, \(runs) runs; load average \(LoadAverage.describe())")
        var runsByPath: [String: [PathRun]] = [:]
        do {
            for run in 1...runs {
                let order = run % 2 == 1 ? [false, true] : [true, false]
                for forwarded in order {
                    let path = forwarded ? "forwarded" : "direct"
                    runsByPath["fetch " + path, default: []].append(
                        try Self.measureFetch(port: forwarded ? forwarder.listeners[1].port : dovecot.directPort, dovecot: dovecot, roundTrips: roundTrips))
                    runsByPath["line " + path, default: []].append(try measure(port: forwarded ? forwarder.listeners[0].port : direct.port))
                }
            }
        } catch {
            await forwarder.stop(grace: .zero)
            throw error
        }
        await forwarder.stop(grace: .zero)
        await direct.stop()
        await behind.stop()
        print("A large FETCH from Dovecot (the target):")
        print(Self.report(direct: runsByPath["fetch direct"] ?? [], forwarded: runsByPath["fetch forwarded"] ?? [], target: true))
        print("\nThe benchmark's own server, which costs next to nothing (the forwarder's worst case):")
        print(Self.report(direct: runsByPath["line direct"] ?? [], forwarded: runsByPath["line forwarded"] ?? [], target: false))
    }

    /// One path to Dovecot: login, warm-up, NOOP round trips, then the whole message, on one
    /// connection.
    static func measureFetch(port: Int, dovecot: ForwardBenchDovecot, roundTrips: Int) throws -> PathRun {
        let client = try ForwardBenchClient(port: port)
        try client.readGreeting()
        try client.command("l", "LOGIN \(ForwardBenchDovecot.user) \(dovecot.password)")
        try client.command("s", "SELECT INBOX")
        for index in 0..<20 { try client.command("w\(index)", "NOOP") }
        var latencies: [Double] = []
        latencies.reserveCapacity(roundTrips)
        for index in 0..<roundTrips { latencies.append(try client.command("n\(index)", "NOOP").seconds) }
        let (seconds, bytes) = try client.command("f", "FETCH 1 BODY.PEEK[]")
        guard bytes > dovecot.messageBytes else {
            throw BenchError("the FETCH on port \(port) returned \(bytes) bytes for a message of \(dovecot.messageBytes)")
        }
        latencies.sort()
        return PathRun(
            megabytesPerSecond: Double(dovecot.messageBytes) / 1_000_000 / seconds, p50: Self.percentile(latencies, 0.50),
            p99: Self.percentile(latencies, 0.99))
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

    /// The two paths' table and the forwarded share; `target` adds the verdicts.
    static func report(direct: [PathRun], forwarded: [PathRun], target: Bool) -> String {
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
            + "throughput through the forwarder: \(BenchTable.format(ratio * 100, decimals: 1)) % of direct"
            + (target ? " (target ≥ 90 %: \(ratio >= 0.9 ? "met" : "NOT met"))" : "") + "\n"
            + "added per round trip: p50 \(BenchTable.format(addedMedian, decimals: 3)) ms, p99 \(BenchTable.format(Samples(addedTail).median, decimals: 3)) ms"
            + (target ? " (target < 1 ms: \(addedMedian < 1 ? "met" : "NOT met"))" : "")
    }
}
