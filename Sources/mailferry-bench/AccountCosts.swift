import Foundation
import IMAPClient
import Logging
import StateStore

/// What each account costs before any mail moves, measured in-process so the figures are
/// mailferry's own: a TCP connection and greeting, the same plus STARTTLS, plus the login
/// (Courier: the account's password; Dovecot: the master user). And what a run pays once:
/// a new sync state store (one per run, shared by its accounts).
struct AccountCosts {
    var samples: Int
    var sourceConnect = Samples()
    var sourceTLS = Samples()
    var sourceLogin = Samples()
    var destinationConnect = Samples()
    var destinationTLS = Samples()
    var destinationLogin = Samples()
    var stateStore = Samples()

    /// Each cost measured `samples` times, in milliseconds.
    static func measure(rig: SyncBenchRig, fleet: AccountsBenchFleet, samples: Int) async throws -> AccountCosts {
        let logger = Logger(label: "mailferry.bench") { _ in SwiftLogNoOpLogHandler() }
        var costs = AccountCosts(samples: samples)
        let plain = { (endpoint: IMAPEndpoint) in IMAPEndpoint(host: endpoint.host, port: endpoint.port, security: .none, tls: endpoint.tls) }
        let tls = { (endpoint: IMAPEndpoint) in IMAPEndpoint(host: endpoint.host, port: endpoint.port, security: .startTLS, tls: endpoint.tls) }
        for index in 0..<samples {
            let source = fleet.sources[index % fleet.sources.count]
            let destination = fleet.destinations[.mailferry]?[index % fleet.sources.count] ?? source
            costs.sourceConnect.append(try await milliseconds { try await IMAPConnection.withConnection(to: plain(rig.sourceEndpoint), logger: logger) { _ in } })
            costs.sourceTLS.append(try await milliseconds { try await IMAPConnection.withConnection(to: tls(rig.sourceEndpoint), logger: logger) { _ in } })
            let sourceCredentials = try rig.sourceCredentials(source)
            costs.sourceLogin.append(try await milliseconds {
                try await IMAPConnection.withConnection(to: rig.sourceEndpoint, logger: logger) { try await $0.authenticate(sourceCredentials) }
            })
            costs.destinationConnect.append(try await milliseconds { try await IMAPConnection.withConnection(to: plain(rig.destinationEndpoint), logger: logger) { _ in } })
            costs.destinationTLS.append(try await milliseconds { try await IMAPConnection.withConnection(to: tls(rig.destinationEndpoint), logger: logger) { _ in } })
            let destinationCredentials = try rig.destinationCredentials(destination)
            costs.destinationLogin.append(try await milliseconds {
                try await IMAPConnection.withConnection(to: rig.destinationEndpoint, logger: logger) { try await $0.authenticate(destinationCredentials) }
            })
            let directory = try rig.directory("store-\(index)")
            costs.stateStore.append(try await milliseconds { _ = try SQLiteStateStore(directory: directory) })
        }
        return costs
    }

    private static func milliseconds(_ body: () async throws -> Void) async throws -> Double {
        let started = ContinuousClock.now
        try await body()
        return (ContinuousClock.now - started).benchSeconds * 1000
    }

    /// One row per cost: medians and minimums in milliseconds.
    func render(startTLS: Bool) -> [String] {
        var table = BenchTable(header: ["per account, before any mail (\(samples) samples)", "Courier ms (min / median)", "Dovecot ms (min / median)"])
        table.rows.append(["TCP connect + greeting", sourceConnect.minMedian(), destinationConnect.minMedian()])
        table.rows.append(["+ STARTTLS handshake", sourceTLS.minMedian(), destinationTLS.minMedian()])
        table.rows.append([
            "+ login as the run does (" + (startTLS ? "STARTTLS" : "plaintext") + "; Dovecot: master user)", sourceLogin.minMedian(), destinationLogin.minMedian(),
        ])
        table.rows.append(["once per run: a new sync state store (SQLite)", stateStore.minMedian(), "-"])
        return [table.render()]
    }
}
