import CorpusGenerator
import Foundation
import IMAPClient
import MailTestSupport
import NIOCore
import StateStore
import SyncBackends
import SyncEngine
import Testing
import Verify

/// A whole sync against a source server that turns hostile in the middle of a message body
/// (a proxy in front of the testbed's Courier plays the hostile part on every connection):
/// the run ends in bounded time with a connection failure (exit 5 in the CLI's table), and
/// the Dovecot Maildir destination holds only whole messages, nothing half-written.
@Suite(.tags(.integration), .requiresTestbed, .serialized)
struct HostileSourceIntegrationTests {
    /// Each takeover starts right after `BODY[] {` of the first body the source sends, so the
    /// client is inside a FETCH response when the server turns.
    struct Hostility: Sendable, CustomTestStringConvertible {
        let name: String
        let takeover: FaultPlan.Takeover
        var testDescription: String { name }

        init(_ name: String, _ takeover: FaultPlan.Takeover) {
            self.name = name
            self.takeover = takeover
        }
    }

    static let cases: [Hostility] = [
        Hostility("a literal of 2^63 octets announced", .send(Array("9223372036854775807}\r\n".utf8), times: 1)),
        Hostility("an endless line", .send(Array("1}\r\nx".utf8) + Array(repeating: UInt8(ascii: "y"), count: 65_536), times: 256)),
        Hostility("a deeply nested BODYSTRUCTURE", .send(Array("1}\r\nx BODYSTRUCTURE ".utf8) + Array(repeating: UInt8(ascii: "("), count: 65_536), times: 8)),
        Hostility("a million untagged responses", .send(Array("1}\r\nx)\r\n".utf8) + Array(String(repeating: "* 1 EXISTS\r\n", count: 10_000).utf8), times: 100)),
        Hostility("a server that stops reading and writing", .silence),
    ]

    @Test(arguments: cases)
    func aHostileSourceEndsTheRunWithAConnectionFailureAndNothingHalfWritten(_ hostility: Hostility) async throws {
        let name = hostility.name
        let (stores, manifest) = try await TestbedStores.make(prefix: "hostile", messages: 12, folders: 2, seed: 29)
        let state = temporaryStateDirectory("hostile")
        defer { try? FileManager.default.removeItem(atPath: state) }
        let destinationRoot = state + "/dest/Maildir"
        try FileManager.default.createDirectory(atPath: state + "/dest", withIntermediateDirectories: true)
        // Plaintext on loopback, so the proxy sees the FETCH responses.
        let proxy = try FaultProxy(
            target: stores.testbed.old.imap, plan: .takeover(.afterPattern("BODY[] {", .serverToClient), hostility.takeover), idleTimeout: .seconds(60))
        defer { _ = proxy.stop() }

        var source = stores.source
        source.endpoint = IMAPEndpoint(host: "127.0.0.1", port: proxy.port, security: .none)
        source.endpoint.allowPlaintextAuthentication = true
        source.configuration.responseTimeout = .seconds(3)
        let destination = DovecotMaildirStore(root: destinationRoot, logger: stores.logger)
        var options = SyncOptions()
        options.temporaryDirectory = state + "/tmp"
        options.foldersInParallel = 1
        options.maxAttempts = 2
        options.initialBackoff = .milliseconds(10)
        let start = ContinuousClock.now
        let report = await AccountSync(
            account: stores.user.name, source: source, destination: destination, stateStore: try SQLiteStateStore(directory: state),
            options: options
        ).run()
        let elapsed = ContinuousClock.now - start

        #expect(report.outcome == .connectionFailed, "\(name): \(report.outcome) \(report.error ?? "") \(report.folders.compactMap(\.error))")
        #expect(elapsed < .seconds(90), "\(name): the run took \(elapsed)")
        #expect(proxy.stats.cut >= 1, "\(name): the hostile part was played")

        // Nothing half-written: no file left in any tmp/, and every message the destination
        // holds is a whole copy of a source message (verify finds nothing altered or extra).
        let leftovers = try Self.filesInTmp(under: destinationRoot)
        #expect(leftovers.isEmpty, "\(name): \(leftovers)")
        let verified = await AccountVerifier(
            account: stores.user.name, source: stores.source, destination: destination, store: nil, options: VerifyOptions()
        ).run()
        #expect(verified.error == nil, "\(name): \(verified.error ?? "")")
        let harmful = verified.discrepancies.filter { $0.kind == .altered || $0.kind == .extra }
        #expect(harmful.isEmpty, "\(name): \(harmful.prefix(3))")
        #expect(verified.sourceMessages == manifest.folders.reduce(0) { $0 + $1.messages.count })
    }

    /// Every regular file in a `tmp/` directory anywhere under `root`.
    static func filesInTmp(under root: String) throws -> [String] {
        guard FileManager.default.fileExists(atPath: root) else { return [] }
        let paths = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
        return paths.filter { path in
            let parts = path.split(separator: "/")
            var isDirectory: ObjCBool = false
            return parts.dropLast().last == "tmp" && FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory)
                && !isDirectory.boolValue
        }
    }
}
