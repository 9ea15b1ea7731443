import CorpusGenerator
import Foundation
import IMAPClient
import MailModel
import MailTestSupport
import StateStore
import SyncBackends
import SyncEngine
import Testing
import Verify

/// Connections cut in the middle of a literal, through a fault-injecting proxy on loopback:
/// while a FETCH body streams from Courier, and while an APPEND literal streams to Dovecot.
/// The run retries and resumes; every message arrives exactly once.
@Suite(.tags(.integration), .requiresTestbed, .serialized)
struct FaultInjectionIntegrationTests {
    @Test func connectionsCutMidLiteralAreSurvived() async throws {
        let (stores, manifest) = try await TestbedStores.make(prefix: "cut", messages: 80, large: 1, seed: 13)
        let total = manifest.folders.reduce(0) { $0 + $1.messages.count }
        let state = temporaryStateDirectory("cut")
        defer { try? FileManager.default.removeItem(atPath: state) }
        // Plaintext through the proxies (loopback), so the cuts can find the literals.
        let sourceProxy = try FaultProxy(target: stores.testbed.old.imap)
        let destinationProxy = try FaultProxy(target: stores.testbed.new.imap)
        defer {
            _ = sourceProxy.stop()
            _ = destinationProxy.stop()
        }
        sourceProxy.enqueue(.init(cut: .afterPattern("BODY[] {", .serverToClient, then: 5_000)))
        // The first destination session ends with the source cut (before any APPEND); the
        // second one is cut in the middle of an APPEND literal.
        destinationProxy.enqueue(.passThrough, .init(cut: .afterPattern("APPEND", .clientToServer, then: 20_000), cutStyle: .reset))

        var source = stores.source
        source.endpoint = IMAPEndpoint(host: "127.0.0.1", port: sourceProxy.port, security: .none)
        var destination = stores.destination
        destination.endpoint = IMAPEndpoint(host: "127.0.0.1", port: destinationProxy.port, security: .none)
        var options = SyncOptions()
        options.temporaryDirectory = state + "/tmp"
        options.foldersInParallel = 1
        options.initialBackoff = .milliseconds(50)
        let report = await AccountSync(
            account: stores.user.name, source: source, destination: destination, stateStore: try SQLiteStateStore(directory: state),
            options: options
        ).run()
        #expect(report.outcome == .complete, "\(report.error ?? "") \(report.folders.compactMap(\.error))")
        #expect(sourceProxy.stats.cut >= 1)
        #expect(destinationProxy.stats.cut >= 1)

        var verifyOptions = VerifyOptions()
        verifyOptions.deep = true
        let verified = await AccountVerifier(
            account: stores.user.name, source: stores.source, destination: stores.destination, store: nil, options: verifyOptions
        ).run()
        #expect(verified.isIdentical, "\(verified.discrepancies.prefix(3))")
        #expect(verified.matched == total)
    }
}
