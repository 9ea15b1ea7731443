import NIOCore
import NIOPosix
import Synchronization

/// An IMAP server on 127.0.0.1 that misbehaves on purpose: its `behaviour` reads the
/// client's lines and answers whatever it likes (endless lines, huge literals, floods), or
/// stops reading. Its writes wait while the socket is full, so it never buffers more than the
/// client takes; ``Outcome/sentBytes`` is what the client (or the kernel's buffers on its
/// behalf) accepted.
enum HostileServer {
    /// One accepted connection, as the behaviour sees it.
    final class Peer {
        private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        private var received = ByteBuffer()
        private let channel: any Channel
        let sent: Atomic<Int>

        init(_ channel: any Channel, _ inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) {
            self.channel = channel
            self.inbound = inbound
            self.sent = Atomic(0)
        }

        /// Returns when the connection is closed (the harness closes it once the client has
        /// its result), without reading anything meanwhile.
        func stopReading() async {
            try? await channel.closeFuture.get()
        }

        /// The client's next line without CRLF; nil when it closed.
        func readLine() async throws -> String? {
            while true {
                if let newline = received.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
                    let length = newline - received.readerIndex + 1
                    var line = received.readBytes(length: length)!
                    while line.last == UInt8(ascii: "\n") || line.last == UInt8(ascii: "\r") { line.removeLast() }
                    return String(decoding: line, as: UTF8.self)
                }
                guard var more = try await inbound.next() else { return nil }
                received.writeBuffer(&more)
            }
        }

        /// Reads lines until one starts with `prefix` after its tag; returns the tag.
        func awaitCommand(_ prefix: String) async throws -> String? {
            while let line = try await readLine() {
                let parts = line.split(separator: " ", maxSplits: 1)
                if parts.count == 2, parts[1].uppercased().hasPrefix(prefix) { return String(parts[0]) }
            }
            return nil
        }

        func send(_ text: String) async throws {
            try await send(ByteBuffer(string: text))
        }

        /// Written on the channel and counted once the socket took the bytes: the async
        /// channel's writer returns as soon as it holds them, and on a loaded machine, before
        /// the event loop ran and found the connection closed, it held hundreds of MB that the
        /// client never read.
        func send(_ bytes: ByteBuffer) async throws {
            try await channel.writeAndFlush(bytes)
            sent.add(bytes.readableBytes, ordering: .relaxed)
        }

        /// Sends `unit` again and again until `maximumBytes` went out or the client closed
        /// (a write fails). Returns true when the client closed first.
        @discardableResult
        func flood(_ unit: ByteBuffer, maximumBytes: Int) async -> Bool {
            var total = 0
            while total < maximumBytes {
                do { try await send(unit) } catch { return true }
                total += unit.readableBytes
            }
            return false
        }
    }

    struct Outcome<T: Sendable>: Sendable {
        /// Bytes the server's socket accepted.
        var sentBytes: Int
        /// The behaviour's own error, if it failed.
        var serverError: String?
        var client: Result<T, any Error>
        /// From the client's start to its result.
        var elapsed: Duration
    }

    /// Starts the server, runs `client(port)` against it and returns both sides' results.
    /// Bounded: after `deadline` the listener is closed and the client's result is a
    /// `CancellationError` (the test then fails on it).
    static func run<T: Sendable>(
        deadline: TimeAmount = .seconds(60), greeting: String = "* OK [CAPABILITY IMAP4rev1 LITERAL+ UIDPLUS] hostile\r\n",
        behaviour: @escaping @Sendable (Peer) async throws -> Void,
        client: @escaping @Sendable (Int) async throws -> T
    ) async throws -> Outcome<T> {
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        let port = listener.channel.localAddress!.port!
        let accepted = Accepted()
        let timer = listener.channel.eventLoop.scheduleTask(in: deadline) {}
        let start = ContinuousClock.now
        let outcome = try await withThrowingTaskGroup(of: Part<T>.self) { group in
            group.addTask {
                let (bytes, error) = await serve(listener, accepted: accepted, greeting: greeting, behaviour: behaviour)
                return .server(bytes, error)
            }
            group.addTask {
                do { return .client(.success(try await client(port)), ContinuousClock.now - start) } catch {
                    return .client(.failure(error), ContinuousClock.now - start)
                }
            }
            group.addTask {
                do { try await timer.futureResult.get() } catch { return .cancelled }
                return .deadline
            }
            var sent: Int?
            var serverError: String?
            var client: (Result<T, any Error>, Duration)?
            while sent == nil || client == nil {
                guard let next = try await group.next() else { break }
                switch next {
                case .server(let bytes, let error):
                    sent = bytes
                    serverError = error
                case .client(let result, let elapsed):
                    client = (result, elapsed)
                    // The behaviour may be waiting for a client that is done.
                    accepted.closeAll()
                case .deadline:
                    try? await listener.channel.close()
                    accepted.closeAll()
                    if client == nil { client = (.failure(CancellationError()), ContinuousClock.now - start) }
                    sent = sent ?? -1
                case .cancelled:
                    break
                }
            }
            timer.cancel()
            try? await listener.channel.close()
            group.cancelAll()
            return Outcome(sentBytes: sent ?? -1, serverError: serverError, client: client!.0, elapsed: client!.1)
        }
        return outcome
    }

    private enum Part<T: Sendable>: Sendable {
        case server(Int, String?)
        case client(Result<T, any Error>, Duration)
        case deadline
        case cancelled
    }

    /// The connections the server accepted, so the harness can end a behaviour that waits.
    final class Accepted: Sendable {
        private let channels = Mutex<[any Channel]>([])
        func add(_ channel: any Channel) { channels.withLock { $0.append(channel) } }
        func closeAll() {
            for channel in channels.withLock({ $0 }) { channel.close(promise: nil) }
        }
    }

    private static func serve(
        _ listener: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>, accepted: Accepted, greeting: String,
        behaviour: @Sendable (Peer) async throws -> Void
    ) async -> (Int, String?) {
        do {
            return try await listener.executeThenClose { connections in
                for try await connection in connections {
                    accepted.add(connection.channel)
                    return try await connection.executeThenClose { inbound, _ in
                        let peer = Peer(connection.channel, inbound.makeAsyncIterator())
                        var failure: String?
                        do {
                            try await peer.send(greeting)
                            try await behaviour(peer)
                        } catch {
                            failure = "\(error)"
                        }
                        return (peer.sent.load(ordering: .relaxed), failure)
                    }
                }
                return (0, "no connection")
            }
        } catch {
            return (0, "\(error)")
        }
    }
}
