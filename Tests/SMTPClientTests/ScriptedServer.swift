import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import SMTPTransport

/// A fake SMTP server on 127.0.0.1 that plays a script against the first connection, in
/// the style of Postfix's smtp-sink: it can inject replies, delay, disconnect and start TLS.
struct ScriptedServer {
    final class Peer {
        var iterator: NIOAsyncChannelInboundStream<SMTPInboundPart>.AsyncIterator
        let channel: any Channel
        var buffer = ""

        init(iterator: NIOAsyncChannelInboundStream<SMTPInboundPart>.AsyncIterator, channel: any Channel) {
            self.iterator = iterator
            self.channel = channel
        }

        func write(_ text: String) async throws {
            try await channel.writeAndFlush(ByteBuffer(string: text))
        }

        /// The next CRLF line (without CRLF); nil if the client closed.
        func readLine() async throws -> String? {
            while true {
                if let range = buffer.range(of: "\r\n") {
                    let line = String(buffer[..<range.lowerBound])
                    buffer.removeSubrange(..<range.upperBound)
                    return line
                }
                switch try await iterator.next() {
                case .none: return nil
                case .bytes(let bytes): buffer += String(buffer: bytes)
                case .tlsStarted: buffer = ""
                }
            }
        }

        /// Message content up to the end-of-data line, as sent on the wire (still stuffed).
        func readData() async throws -> String {
            var lines: [String] = []
            while let line = try await readLine(), line != "." { lines.append(line) }
            return lines.map { $0 + "\r\n" }.joined()
        }

        /// Write `plaintext` and start TLS in one step (the plaintext is the 220 reply, plus
        /// whatever a hostile server injects after it).
        func startTLS(_ context: NIOSSLContext, plaintext: String) async throws {
            let request = StartTLSGate.Request(finalPlaintext: ByteBuffer(string: plaintext)) { NIOSSLServerHandler(context: context) }
            try await channel.triggerUserOutboundEvent(request)
        }
    }

    /// Run `script` against the first client; `client` gets the port and runs concurrently.
    static func run(script: @escaping @Sendable (Peer) async throws -> Void,
                    client: (Int) async throws -> Void) async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(StartTLSGate())
                    return try NIOAsyncChannel<SMTPInboundPart, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let port = server.channel.localAddress!.port!
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await server.executeThenClose { inbound in
                    for try await connection in inbound {
                        try await connection.executeThenClose { connectionInbound, _ in
                            try await script(Peer(iterator: connectionInbound.makeAsyncIterator(), channel: connection.channel))
                        }
                        return
                    }
                }
            }
            try await client(port)
            try await group.waitForAll()
        }
    }

    static let tlsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tls").path

    static func serverTLS() throws -> NIOSSLContext {
        try NIOSSLContext(configuration: .makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(tlsDirectory + "/server.pem").map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: tlsDirectory + "/server.key", format: .pem))))
    }
}
