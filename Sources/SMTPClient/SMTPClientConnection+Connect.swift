import NIOCore
import NIOPosix
import SMTPTransport

#if canImport(Glibc)
import Glibc
#endif

extension SMTPClientConnection {
    static func connect(_ configuration: SMTPClientConfiguration, eventLoopGroup: any EventLoopGroup) async throws
        -> NIOAsyncChannel<SMTPInboundPart, ByteBuffer>
    {
        let timeout = configuration.timeouts.connect.components
        return try await ClientBootstrap(group: eventLoopGroup)
            .connectTimeout(.nanoseconds(timeout.seconds * 1_000_000_000 + timeout.attoseconds / 1_000_000_000))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(StartTLSGate())
                    return try NIOAsyncChannel<SMTPInboundPart, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
    }

    /// "connection refused", "timed out", ... instead of NIO's nested error descriptions.
    static func describe(_ error: any Error) -> String {
        if let connection = error as? NIOConnectionError {
            if let failure = connection.connectionErrors.first { return describe(failure.error) }
            if let dns = connection.dnsAError ?? connection.dnsAAAAError { return "name lookup failed: \(dns)" }
            return "no address to connect to"
        }
        if let io = error as? IOError { return String(cString: strerror(io.errnoCode)).lowercased() }
        if let channel = error as? ChannelError, case .connectTimeout = channel { return "timed out" }
        return "\(error)"
    }
}
