import ArgumentParser
import Foundation
import IMAPClient
import IMAPCodec
import Logging
import MailModel
import TestbedClient
import NIOCore

/// `mailferry-bench imap-fetch`: fetch and append timings against the testbed's Courier and
/// Dovecot. Shows what pipelining buys: Courier stalls on every FETCH command that is sent
/// alone and waited for (what that costs: docs/dev/architecture.md, "The IMAP layers").
struct IMAPFetchBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "imap-fetch",
        abstract: "Body and metadata fetch timings against the testbed (needs scripts/testbed up and the tbbench corpus).",
        discussion: """
            Reads tbbench's INBOX on Courier (fill it with: mailferry-corpus --user tbbench), \
            copies --copy messages into a fresh Dovecot account with pipelined APPENDs, then \
            times on both servers: metadata of every message in one command, bodies of every \
            message pipelined, and bodies one command per message waiting for each (--single).
            """
    )

    @Option(help: "testbed.json to use.")
    var testbed: String = ".testbed/testbed.json"

    @Option(help: "Messages to copy to Dovecot and time there.")
    var copy: Int = 300

    @Option(help: "Messages fetched one command at a time (the slow way), per server.")
    var single: Int = 40

    func run() async throws {
        let bed = try Testbed.load(from: URL(fileURLWithPath: testbed))
        let logger = Logger(label: "mailferry.bench") { _ in SwiftLogNoOpLogHandler() }
        var table = BenchTable(header: ["server", "operation", "messages", "MB", "ms/message", "MB/s"])
        func add(_ server: String, _ operation: String, _ count: Int, _ bytes: Int, _ seconds: Double) {
            table.rows.append([server, operation, "\(count)", BenchTable.format(Double(bytes) / 1e6),
                               BenchTable.format(seconds * 1000 / Double(max(count, 1)), decimals: 2),
                               BenchTable.format(Double(bytes) / 1e6 / seconds)])
        }
        let bench = try bed.user("tbbench")
        let courier = IMAPEndpoint(host: bed.old.imap.host, port: bed.old.imap.port, security: .startTLS, tls: IMAPTLSOptions(caFile: bed.caFile))
        let dovecot = IMAPEndpoint(host: bed.new.imap.host, port: bed.new.imap.port, security: .startTLS, tls: IMAPTLSOptions(caFile: bed.caFile))
        let courierLogin = IMAPCredentials.login(username: bench.name, password: Secret(try bench.password()))

        // Courier, and the messages to copy.
        var copied: [(MessageMetadata, ByteBuffer)] = []
        try await IMAPConnection.withConnection(to: courier, logger: logger) { connection in
            try await connection.authenticate(courierLogin)
            try await timeServer("Courier", connection, add: add)
            let metadata = Array(try await connection.fetchMetadata().prefix(copy))
            var bodies: [UID: ByteBuffer] = [:]
            var current = ByteBuffer()
            try await connection.fetchBodies(UIDSet(metadata.map(\.uid))) { event in
                switch event {
                case .begin: current = ByteBuffer()
                case .bytes(var chunk): current.writeBuffer(&chunk)
                case .end(let message): bodies[message.uid] = current
                }
            }
            copied = metadata.compactMap { meta in bodies[meta.uid].map { (meta, $0) } }
        }
        guard !copied.isEmpty else { throw ValidationError("tbbench's INBOX on Courier is empty: run mailferry-corpus --user tbbench") }

        let target = try await bed.makeAccount(prefix: "bench")
        let dovecotLogin = IMAPCredentials.login(username: target.name, password: Secret(try target.password()))
        try await IMAPConnection.withConnection(to: dovecot, logger: logger) { connection in
            try await connection.authenticate(dovecotLogin)
            func makeMessages() -> [AppendMessage] {
                copied.map { meta, body in
                    AppendMessage(flags: Array(meta.summary.flags), internalDate: meta.summary.internalDate, body: .bytes(body))
                }
            }
            let messages = makeMessages()
            let bytes = copied.reduce(0) { $0 + $1.1.readableBytes }
            var failures = 0
            let seconds = try await measureAsync {
                failures = try await connection.append(messages, to: .inbox).filter { (try? $0.get()) == nil }.count
            }
            add("Dovecot", "APPEND pipelined (LITERAL+)\(failures > 0 ? ", \(failures) failed" : "")", messages.count, bytes, seconds)
            let multi = MailboxPath(wire: Array("BenchMulti".utf8), separator: "/")
            try await connection.create(multi)
            let multiSeconds = try await measureAsync { _ = try await connection.appendAtomically(makeMessages(), to: multi) }
            add("Dovecot", "MULTIAPPEND (one command)", messages.count, bytes, multiSeconds)
            try await timeServer("Dovecot", connection, add: add)
        }
        print(table.render())
        print("Courier stalls on a FETCH sent alone; pipelined, both servers stream at full speed.")
    }

    private func timeServer(_ name: String, _ connection: IMAPConnection, add: (String, String, Int, Int, Double) -> Void) async throws {
        _ = try await connection.select(.inbox)
        var metadata: [MessageMetadata] = []
        let metaSeconds = try await measureAsync { metadata = try await connection.fetchMetadata() }
        add(name, "metadata, one command", metadata.count, 0, metaSeconds)
        var bytes = 0
        let bodySeconds = try await measureAsync {
            try await connection.fetchBodies(UIDSet(metadata.map(\.uid))) { event in
                if case .bytes(let chunk) = event { bytes += chunk.readableBytes }
            }
        }
        add(name, "bodies, pipelined", metadata.count, bytes, bodySeconds)
        let some = Array(metadata.prefix(single))
        var singleBytes = 0
        let singleSeconds = try await measureAsync {
            for meta in some {
                try await connection.fetchBodies(UIDSet([meta.uid])) { event in
                    if case .bytes(let chunk) = event { singleBytes += chunk.readableBytes }
                }
            }
        }
        add(name, "bodies, one command each", some.count, singleBytes, singleSeconds)
    }
}

func measureAsync(_ body: () async throws -> Void) async rethrows -> Double {
    let start = ContinuousClock.now
    try await body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}
