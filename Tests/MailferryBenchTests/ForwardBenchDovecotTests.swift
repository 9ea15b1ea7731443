import BlockingIO
import Forward
import Foundation
import Logging
import MailTestSupport
import Testing

@testable import mailferry_bench

#if canImport(Glibc)
import Glibc
#endif

/// The forwarder benchmark's Dovecot: its large FETCH arrives whole on both paths, the direct
/// listener and the PROXY listener behind the forwarder (each refuses what the other takes, so
/// a measurement on the wrong path fails instead of measuring something else).
@Suite(
    .tags(.integration),
    .enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/dovecot"), "a private Dovecot needs root and dovecot-imapd"))
struct ForwardBenchDovecotTests {
    @Test func aLargeFetchArrivesWholeOnBothPaths() async throws {
        let dovecot = try ForwardBenchDovecot.start(megabytes: 2)
        defer { dovecot.stop() }
        var logger = Logger(label: "mailferry.test.forward-bench")
        logger.logLevel = .warning
        let forwarder = try await Forwarder.start(
            ForwardConfiguration(listeners: [
                .init(name: "imap", listen: .init(host: "127.0.0.1", port: 0), upstream: .init(host: "127.0.0.1", port: dovecot.proxyPort))
            ]),
            logger: logger)
        let forwardedPort = forwarder.listeners[0].port
        let runs = try await BlockingIO().run {
            try [dovecot.directPort, forwardedPort].map { try ForwardBenchmark.measureFetch(port: $0, dovecot: dovecot, roundTrips: 10) }
        }
        await forwarder.stop(grace: .zero)
        #expect(runs.allSatisfy { $0.megabytesPerSecond > 0 && $0.p50 > 0 && $0.p99 >= $0.p50 })
        let log = try String(contentsOfFile: "\(dovecot.root)/dovecot.log", encoding: .utf8)
        #expect(log.components(separatedBy: "Login: user=<\(ForwardBenchDovecot.user)>").count - 1 == 2)

        // A PROXY header on the direct listener, or none on the PROXY listener, is refused.
        let wrongPath = try ForwardBenchClient(port: dovecot.proxyPort)
        #expect(throws: BenchError.self) { try wrongPath.readGreeting() }
    }

    @Test func theMessageHasTheSizeAskedInLinesOfAtMostAThousandOctets() {
        for size in [1_000_000, 1_000_001, 2_345_678] {
            let message = ForwardBenchDovecot.message(bytes: size)
            #expect(message.count == size)
            let lines = message.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast()
            #expect(lines.allSatisfy { $0.count <= 999 && $0.last == UInt8(ascii: "\r") })
            #expect(message.suffix(2) == Data("\r\n".utf8))
        }
    }
}
