import Foundation
import Logging
import NIOCore
import NIOPosix

/// A running TCP forwarder: every connection to one of its listeners is relayed, bytes
/// unchanged, to that listener's upstream, after a PROXY v2 header naming the client. TLS
/// (implicit or STARTTLS) passes through untouched: the forwarder holds no key.
///
/// Started by `mailferry forward` and by the cutover from its *open* phase:
///
///     let forwarder = try await Forwarder.start(configuration, logger: logger)
///     ...
///     let forced = await forwarder.stop(grace: .seconds(60))
public final class Forwarder: Sendable {
    /// A listener and the address it is bound to (its port when 0 was asked for).
    public struct BoundListener: Sendable {
        public var name: String
        public var address: SocketAddress
        /// The bound port (the one the kernel chose when 0 was asked for).
        public var port: Int { address.port ?? 0 }
    }

    public let listeners: [BoundListener]
    private let serverChannels: [any Channel]
    private let registry: ForwardRegistry
    private let group: any EventLoopGroup
    private let logger: Logger

    private init(
        listeners: [BoundListener], serverChannels: [any Channel], registry: ForwardRegistry, group: any EventLoopGroup, logger: Logger
    ) {
        self.listeners = listeners
        self.serverChannels = serverChannels
        self.registry = registry
        self.group = group
        self.logger = logger
    }

    /// Binds every listener and starts accepting. Throws ``ForwardError`` when the
    /// configuration has problems or a port cannot be bound (then nothing stays bound).
    /// `now` is the wall clock the per-hour address counts use.
    public static func start(
        _ configuration: ForwardConfiguration,
        logger: Logger = Logger(label: "mailferry.forward"),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        now: @escaping @Sendable () -> Date = { Date() }
    ) async throws(ForwardError) -> Forwarder {
        let problems = configuration.problems
        guard problems.isEmpty else { throw .invalidConfiguration(problems) }
        let registry = ForwardRegistry(
            maxConnections: configuration.maxConnections, maxConnectionsPerSource: configuration.maxConnectionsPerSource, now: now)
        var channels: [any Channel] = []
        var bound: [BoundListener] = []
        for listener in configuration.listeners {
            let environment = ForwardListenerEnvironment(
                listener: listener, connectTimeout: configuration.connectTimeout, idleTimeout: configuration.idleTimeout,
                bufferSize: configuration.bufferSize, registry: registry, logger: logger)
            do {
                let channel = try await ServerBootstrap(group: group)
                    .serverChannelOption(.backlog, value: 256)
                    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                    .childChannelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture { try ForwardSession.install(on: channel, environment: environment) }
                    }
                    .bind(host: listener.listen.host, port: listener.listen.port)
                    .get()
                channels.append(channel)
                bound.append(BoundListener(name: listener.name, address: channel.localAddress!))
                logger.info(
                    "listening", metadata: ["listener": "\(listener.name)", "address": "\(listener.listen)", "upstream": "\(listener.upstream)"])
            } catch {
                for channel in channels { try? await channel.close() }
                throw .cannotListen(listener: listener.name, address: listener.listen.description, reason: "\(error)")
            }
        }
        return Forwarder(listeners: bound, serverChannels: channels, registry: registry, group: group, logger: logger)
    }

    /// What the forwarder has done so far.
    public var counters: ForwardCounters { registry.counters }

    /// Stops accepting at once, lets open connections finish for up to `grace`, then closes
    /// the rest. Returns how many had to be closed at the deadline. Calling it again is harmless.
    @discardableResult
    public func stop(grace: Duration) async -> Int {
        for channel in serverChannels { try? await channel.close() }
        let loop = group.next()
        let drained = loop.makePromise(of: Void.self)
        registry.beginStop(notifying: drained)
        let registry = registry
        let forced = loop.scheduleTask(in: TimeAmount(grace)) { registry.closeAll() }
        try? await drained.futureResult.get()
        forced.cancel()
        let closed = (try? await forced.futureResult.get()) ?? 0
        logger.info("stopped", metadata: ["closed_at_deadline": "\(closed)"])
        return closed
    }
}

/// Why a forwarder could not start.
public enum ForwardError: Error, Equatable, CustomStringConvertible {
    case invalidConfiguration([String])
    case cannotListen(listener: String, address: String, reason: String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let problems): "invalid forward configuration: " + problems.joined(separator: "; ")
        case .cannotListen(let listener, let address, let reason): "cannot listen on \(address) (\(listener)): \(reason)"
        }
    }
}
