/// One connection through a ``FaultProxy``.
public struct FaultProxyConnectionStats: Sendable, Equatable {
    /// How the connection ended.
    public enum End: Sendable, Equatable {
        /// The client closed first; the server's data up to its own close was forwarded.
        case closedByClient
        /// The server closed first; the client's data up to its own close was forwarded.
        case closedByServer
        /// The proxy cut it, as its plan said.
        case cut
        /// The proxy could not connect to the target.
        case targetFailed
        /// A send or receive failed (reset by a peer, send timeout).
        case failed(errno: Int32)
        /// Nothing moved for the proxy's idle timeout.
        case idle
        /// ``FaultProxy/stop()`` closed it.
        case stopped
    }

    /// 0 for the first connection accepted, then 1, 2...
    public let index: Int
    /// The plan it ran under.
    public let plan: FaultPlan
    public var bytesClientToServer = 0
    public var bytesServerToClient = 0
    /// nil while the connection is open.
    public var end: End?
}
