import IMAPCodec
import Logging
import MailModel
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// An IMAP client connection, scoped to one task:
///
/// ```swift
/// try await IMAPConnection.withConnection(to: endpoint, logger: logger) { connection in
///     try await connection.authenticate(.login(username: "alice", password: secret))
///     let mailbox = try await connection.select(.inbox)
///     ...
/// }   // LOGOUT and close happen here, also on error
/// ```
///
/// Operations run one at a time (the type is not `Sendable`); one operation may pipeline
/// many commands (see ``fetchBodies(_:section:including:handler:)`` and ``append(_:to:)``). Every
/// wait on the server is bounded by ``IMAPClientConfiguration/responseTimeout`` of
/// inactivity. Errors are ``IMAPClientError``s and never contain credentials.
public final class IMAPConnection {
    let channel: any Channel
    let endpoint: IMAPEndpoint
    let configuration: IMAPClientConfiguration
    let logger: Logger
    private let outbound: NIOAsyncChannelOutboundWriter<IMAPOutboundPart>
    /// Bytes written and not yet taken by the socket; ``write(_:)`` waits when it is full.
    private let backlog: OutboundBacklog
    private var inbound: NIOAsyncChannelInboundStream<[ResponseEvent]>.AsyncIterator
    /// The events of the last read (the handler passes each read's on together), and how many
    /// of them were taken.
    private var received: [ResponseEvent] = []
    private var taken = 0
    var machine = ClientStateMachine()
    /// TLS is active (implicit, or after STARTTLS).
    public internal(set) var isTLS: Bool
    /// A BYE was received; the text is kept for the error when the stream ends.
    private var bye: ResponseText?
    /// The connection can no longer be used (closed, failed, or a protocol error).
    private(set) var isBroken = false
    /// Untagged responses that arrived outside any operation's interest (EXISTS, EXPUNGE,
    /// unsolicited FETCH FLAGS), newest ``unsolicitedLimit`` kept. Operations that care read them.
    var unsolicited: [ResponseEvent] = []
    static let unsolicitedLimit = 10_000

    func noteUnsolicited(_ event: ResponseEvent) {
        if unsolicited.count >= IMAPConnection.unsolicitedLimit { unsolicited.removeFirst(unsolicited.count / 2) }
        unsolicited.append(event)
    }

    init(
        channel: any Channel, endpoint: IMAPEndpoint, configuration: IMAPClientConfiguration, logger: Logger,
        inbound: NIOAsyncChannelInboundStream<[ResponseEvent]>.AsyncIterator, outbound: NIOAsyncChannelOutboundWriter<IMAPOutboundPart>,
        backlog: OutboundBacklog = OutboundBacklog()
    ) {
        self.backlog = backlog
        self.channel = channel
        self.endpoint = endpoint
        self.configuration = configuration
        self.logger = logger
        self.inbound = inbound
        self.outbound = outbound
        self.isTLS = endpoint.security == .implicitTLS
    }

    /// Connects, reads the greeting, upgrades with STARTTLS when asked, runs `body`, then
    /// logs out and closes, whether `body` succeeded or threw.
    public static func withConnection<Result>(
        to endpoint: IMAPEndpoint,
        configuration: IMAPClientConfiguration = IMAPClientConfiguration(),
        logger: Logger,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (IMAPConnection) async throws -> sending Result
    ) async throws -> sending Result {
        var logger = logger
        logger[metadataKey: "imap.server"] = "\(endpoint.host):\(endpoint.port)"
        let backlog = OutboundBacklog()
        let channel = try await connect(to: endpoint, configuration: configuration, group: eventLoopGroup, backlog: backlog)
        return try await channel.executeThenClose { inbound, outbound in
            let connection = IMAPConnection(
                channel: channel.channel, endpoint: endpoint, configuration: configuration, logger: logger,
                inbound: inbound.makeAsyncIterator(), outbound: outbound, backlog: backlog
            )
            let result: Result
            do {
                try await connection.start()
                result = try await body(connection)
            } catch {
                await connection.closeAfterFailure()
                throw error
            }
            await connection.logoutQuietly()
            return result
        }
    }

    private static func connect(
        to endpoint: IMAPEndpoint, configuration: IMAPClientConfiguration, group: any EventLoopGroup, backlog: OutboundBacklog
    ) async throws -> NIOAsyncChannel<[ResponseEvent], IMAPOutboundPart> {
        let sslContext = endpoint.security == .none ? nil : try sslContext(endpoint.tls)
        let hostname = isIPAddress(endpoint.host) ? nil : endpoint.host
        var makeTLS: (@Sendable () throws -> any ChannelHandler)?
        if let sslContext {
            makeTLS = { @Sendable () throws -> any ChannelHandler in try NIOSSLClientHandler(context: sslContext, serverHostname: hostname) }
        }
        let tlsFactory = makeTLS
        do {
            // `any()`: the loop of the calling thread when it is one of the group's (a task that runs
            // on an ``EventLoopTaskExecutor``), so the channel's events arrive where the task runs.
            return try await ClientBootstrap(group: group.any())
                .connectTimeout(configuration.connectTimeout)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connect(host: endpoint.host, port: endpoint.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(QuickAckHandler())
                        if endpoint.security == .implicitTLS, let tlsFactory {
                            try channel.pipeline.syncOperations.addHandler(tlsFactory())
                        }
                        try channel.pipeline.syncOperations.addHandler(IMAPClientHandler(
                            parserOptions: configuration.parserOptions, responseTimeout: configuration.responseTimeout,
                            makeTLSHandler: endpoint.security == .startTLS ? tlsFactory : nil, backlog: backlog
                        ))
                        return try NIOAsyncChannel<[ResponseEvent], IMAPOutboundPart>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch let error as IMAPClientError {
            throw error
        } catch {
            throw IMAPClientError(.connectFailed("\(endpoint.host):\(endpoint.port): \(error)"))
        }
    }

    /// One TLS context per set of options for the whole process, shared by its connections:
    /// a context holds the parsed trust store (without a CA file, the system's whole bundle),
    /// which a context per connection read and parsed again for every connection of a run.
    private static let sslContexts = Mutex<[IMAPTLSOptions: NIOSSLContext]>([:])

    static func sslContext(_ options: IMAPTLSOptions) throws -> NIOSSLContext {
        if let shared = sslContexts.withLock({ $0[options] }) { return shared }
        let made = try makeSSLContext(options)
        return sslContexts.withLock { contexts in
            if let shared = contexts[options] { return shared }
            contexts[options] = made
            return made
        }
    }

    static func makeSSLContext(_ options: IMAPTLSOptions) throws -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        if options.insecure {
            tls.certificateVerification = .none
        } else if let caFile = options.caFile {
            tls.trustRoots = .file(caFile)
        }
        do {
            return try NIOSSLContext(configuration: tls)
        } catch {
            throw IMAPClientError(.tls("cannot set up TLS: \(error)"))
        }
    }

    static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }

    /// Reads the greeting and performs STARTTLS when configured.
    private func start() async throws {
        let greeting = try await nextEvent()
        do {
            _ = try machine.receiveGreeting(greeting)
        } catch {
            isBroken = true
            if case .greeting(.bye, let text) = greeting { throw IMAPClientError(.serverClosed(text)) }
            throw IMAPClientError(.protocolViolation(error.description))
        }
        logger.debug("connected", metadata: ["imap.tls": "\(isTLS)"])
        if endpoint.security == .startTLS { try await startTLS() }
    }

    // MARK: - Events

    /// The next event from the server, with errors mapped to ``IMAPClientError``.
    func nextEvent() async throws -> ResponseEvent {
        guard !isBroken else { throw IMAPClientError(.connectionClosed) }
        if taken < received.count {
            defer { taken += 1 }
            return received[taken]
        }
        do {
            while let events = try await inbound.next() {
                guard let first = events.first else { continue }
                received = events
                taken = 1
                return first
            }
        } catch let error as IMAPClientError {
            isBroken = true
            throw error
        } catch let error as NIOSSLError {
            isBroken = true
            throw IMAPClientError(.tls("\(error)"))
        } catch let error as BoringSSLError {
            isBroken = true
            throw IMAPClientError(.tls("\(error)"))
        } catch {
            isBroken = true
            throw IMAPClientError(.connectionClosed)
        }
        isBroken = true
        if let bye { throw IMAPClientError(.serverClosed(bye)) }
        throw IMAPClientError(.connectionClosed)
    }

    /// The next event after the state machine saw it. BYE is remembered (the stream end
    /// that follows becomes ``IMAPClientError/Kind/serverClosed(_:)``).
    func nextAction() async throws -> ClientStateMachine.Action {
        while true {
            let event = try await nextEvent()
            let action: ClientStateMachine.Action
            do {
                action = try machine.receive(event)
            } catch {
                isBroken = true
                throw IMAPClientError(.protocolViolation(error.description))
            }
            if case .bye(let text) = action {
                bye = text
                continue
            }
            return action
        }
    }

    // MARK: - Writing

    func write(_ part: IMAPOutboundPart) async throws {
        try await write(contentsOf: CollectionOfOne(part))
    }

    /// Writes several parts with one hand-over to the event loop and one flush (each part
    /// stays a write of its own, so TLS still encrypts it as one record).
    func write(contentsOf parts: some Collection<IMAPOutboundPart>) async throws {
        guard !isBroken else { throw IMAPClientError(.connectionClosed) }
        backlog.add(parts.reduce(0) { $0 + $1.byteCount })
        do {
            try await outbound.write(contentsOf: parts)
        } catch {
            backlog.drop()
            throw await closedReason()
        }
        await backlog.waitForRoom()
    }

    /// Why a write found the channel closed. The channel handler fails the channel with the
    /// cause (a timeout because the server stopped reading, a response over a limit); that
    /// error ends the inbound stream, behind whatever responses were still buffered. The
    /// channel is closed first, so the stream is finite.
    func closedReason() async -> IMAPClientError {
        try? await channel.close()
        while true {
            do {
                _ = try await nextEvent()
            } catch let error as IMAPClientError {
                return error
            } catch {
                return IMAPClientError(.connectionClosed)
            }
        }
    }

    /// Registers a command with the state machine, or throws when the connection can no
    /// longer take one (failed, closed, or the server said BYE).
    func startCommand(_ kind: ClientStateMachine.CommandKind) throws -> String {
        guard !isBroken else { throw IMAPClientError(.connectionClosed) }
        guard machine.state != .loggedOut else {
            if let bye { throw IMAPClientError(.serverClosed(bye)) }
            throw IMAPClientError(.connectionClosed)
        }
        return machine.startCommand(kind)
    }

    /// Encodes `command`, registers it and writes it, waiting for continuation requests
    /// between chunks. Returns the tag, or the completion if the server answered before a
    /// literal could be sent.
    func send(_ command: Command, kind: ClientStateMachine.CommandKind, startTLS: Bool = false) async throws -> (tag: String, early: TaggedResponse?) {
        let tag = try startCommand(kind)
        let encoded: EncodedCommand
        do {
            encoded = try CommandEncoder.encode(command, tag: tag, options: machine.encodingOptions)
        } catch {
            // Nothing was written: complete the tag locally so the state stays consistent.
            _ = try? machine.receive(.tagged(TaggedResponse(tag: tag, status: .bad, text: ResponseText(text: "not sent"))))
            throw IMAPClientError(.invalidArgument(error))
        }
        logger.trace("sending", metadata: ["imap.command": "\(encoded.redactedDescription.trimmingSuffixCRLF)"])
        for (index, chunk) in encoded.chunks.enumerated() {
            if index == 0 {
                try await write(startTLS ? .startTLS(tag: tag, chunk.bytes) : .commandStart(tag: tag, chunk.bytes))
            } else {
                try await write(.bytes(chunk.bytes))
            }
            if chunk.waitForContinuation {
                machine.waitForContinuation(tag: tag)
                if let early = try await awaitContinuation(tag: tag, command: command.name) { return (tag, early) }
            }
        }
        return (tag, nil)
    }

    /// Reads until the server sends `+` for `tag` (nil) or completes `tag` first (its
    /// response). Data for other commands goes to ``unsolicited``.
    func awaitContinuation(tag: String, command: String) async throws -> TaggedResponse? {
        while true {
            switch try await nextAction() {
            case .sendNextChunk(let owner) where owner == tag: return nil
            case .completed(let response, _, _) where response.tag == tag: return response
            case .data(let event): noteUnsolicited(event)
            default:
                isBroken = true
                throw IMAPClientError(.protocolViolation("unexpected response while \(command) waited to send a literal"))
            }
        }
    }

    /// Sends a command and reads until it completes; untagged data goes to `onData`.
    /// Throws ``IMAPClientError/Kind/commandFailed(command:response:)`` for NO and BAD.
    @discardableResult
    func execute(
        _ command: Command, kind: ClientStateMachine.CommandKind = .other, startTLS: Bool = false,
        onData: (ResponseEvent) throws -> Void = { _ in }
    ) async throws -> TaggedResponse {
        let (tag, early) = try await send(command, kind: kind, startTLS: startTLS)
        let response: TaggedResponse
        if let early {
            response = early
        } else {
            response = try await awaitCompletion(of: tag, command: command.name, onData: onData)
        }
        guard response.status == .ok else { throw IMAPClientError(.commandFailed(command: command.name, response: response)) }
        return response
    }

    /// Reads until the command `tag` completes.
    func awaitCompletion(of tag: String, command: String, onData: (ResponseEvent) throws -> Void) async throws -> TaggedResponse {
        while true {
            switch try await nextAction() {
            case .data(let event): try onData(event)
            case .completed(let response, _, _) where response.tag == tag: return response
            case .completed, .sendNextChunk, .challenge, .bye:
                isBroken = true
                throw IMAPClientError(.protocolViolation("unexpected response while waiting for \(command)"))
            }
        }
    }

    // MARK: - Closing

    /// Sends LOGOUT (bounded by the response timeout) unless the connection is already gone.
    func logoutQuietly() async {
        guard !isBroken, machine.state != .loggedOut else { return }
        do {
            try await logout()
        } catch {
            logger.debug("logout failed", metadata: ["error": "\(error)"])
        }
    }

    /// After a failure the connection is closed without LOGOUT (its state is unknown).
    func closeAfterFailure() async {
        isBroken = true
        try? await channel.close()
    }
}

extension String {
    var trimmingSuffixCRLF: String {
        var text = self
        while text.hasSuffix("\r\n") || text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
