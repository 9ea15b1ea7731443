import NIOCore
import NIOPosix
import NIOSSL

/// A fake IMAP server on 127.0.0.1 that follows a script: for each step it waits until the
/// client has sent exactly `expect` (byte for byte), then replies. Used for transcript tests
/// of the client against exact wire bytes.
struct ScriptedServer {
    struct Step: Sendable {
        /// What the client must send next ("" for the greeting step).
        var expect: String
        var reply: String
        /// After the reply, start TLS (the STARTTLS step).
        var startTLS: Bool
        init(_ expect: String, _ reply: String, startTLS: Bool = false) {
            self.expect = expect
            self.reply = reply
            self.startTLS = startTLS
        }
    }

    /// What went wrong on the server side (a mismatch), or nil.
    enum Failure: Error, CustomStringConvertible {
        case mismatch(step: Int, expected: String, received: String)
        case closedEarly(step: Int, received: String)
        var description: String {
            switch self {
            case .mismatch(let step, let expected, let received): return "step \(step): expected \(expected.debugDescription), got \(received.debugDescription)"
            case .closedEarly(let step, let received): return "client closed at step \(step) after \(received.debugDescription)"
            }
        }
    }

    /// Starts the server, runs `client(port)`, and returns the server's verdict together
    /// with the client's result. Bounded: the server gives up after `timeout`.
    static func run<T: Sendable>(
        _ steps: [Step], timeout: TimeAmount = .seconds(20), implicitTLS: Bool = false,
        client: @Sendable @escaping (Int) async throws -> T
    ) async throws -> (server: Failure?, client: Result<T, any Error>) {
        let tls = steps.contains(where: \.startTLS) || implicitTLS ? try TestTLS.serverContext() : nil
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if implicitTLS, let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let port = listener.channel.localAddress!.port!
        return try await withThrowingTaskGroup(of: Outcome<T>.self) { group in
            group.addTask {
                .server(await serve(listener, steps: steps, tls: tls))
            }
            group.addTask {
                do { return .client(.success(try await client(port))) } catch { return .client(.failure(error)) }
            }
            group.addTask {
                // The bound for a client or server that hangs, not a wait for either: they
                // end the group first and cancel this.
                try? await Task.sleep(nanoseconds: UInt64(timeout.nanoseconds))
                return .timeout
            }
            var server: Failure??
            var clientResult: Result<T, any Error>?
            while server == nil || clientResult == nil {
                guard let next = try await group.next() else { break }
                switch next {
                case .server(let failure): server = .some(failure)
                case .client(let result): clientResult = result
                case .timeout:
                    try? await listener.channel.close()
                    if server == nil { server = .some(.closedEarly(step: -1, received: "timeout")) }
                    if clientResult == nil { clientResult = .failure(CancellationError()) }
                }
            }
            group.cancelAll()
            try? await listener.channel.close()
            return (server ?? nil, clientResult!)
        }
    }

    private enum Outcome<T: Sendable>: Sendable {
        case server(Failure?)
        case client(Result<T, any Error>)
        case timeout
    }

    private static func serve(_ listener: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>, steps: [Step], tls: NIOSSLContext?) async -> Failure? {
        do {
            return try await listener.executeThenClose { connections in
                for try await connection in connections {
                    return try await connection.executeThenClose { inbound, outbound in
                        var received = ByteBuffer()
                        var iterator = inbound.makeAsyncIterator()
                        for (index, step) in steps.enumerated() {
                            let expected = Array(step.expect.utf8)
                            while received.readableBytes < expected.count {
                                guard var more = try await iterator.next() else {
                                    return .closedEarly(step: index, received: String(buffer: received))
                                }
                                received.writeBuffer(&more)
                            }
                            let got = received.readBytes(length: expected.count)!
                            guard got == expected else {
                                return .mismatch(step: index, expected: step.expect, received: String(decoding: got, as: UTF8.self))
                            }
                            if step.startTLS, let tls {
                                // The OK and the TLS handler in one event-loop tick: the client's
                                // ClientHello can only be read after the handler is in place.
                                let channel = connection.channel
                                let reply = ByteBuffer(string: step.reply)
                                try await channel.eventLoop.submit {
                                    channel.writeAndFlush(reply, promise: nil)
                                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls), position: .first)
                                }.get()
                            } else if !step.reply.isEmpty {
                                try await outbound.write(ByteBuffer(string: step.reply))
                            }
                        }
                        return nil
                    }
                }
                return .closedEarly(step: 0, received: "no connection")
            }
        } catch {
            return .closedEarly(step: -1, received: "\(error)")
        }
    }
}
