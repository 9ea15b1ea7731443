/// What a ``FaultProxy`` has done so far: connections and bytes, in total and per
/// connection. A snapshot; bytes are counted before they are forwarded, so whatever a
/// client has received is already in it.
public struct FaultProxyStats: Sendable, Equatable {
    /// Connections accepted from clients (refused ones never reach the proxy: the kernel
    /// answers them).
    public var accepted = 0
    /// Connections still being relayed.
    public var active = 0
    /// Connections the proxy cut on purpose (a ``FaultPlan/Cut``).
    public var cut = 0
    /// Accepted connections for which the target refused or failed the connection.
    public var targetFailures = 0
    public var bytesClientToServer = 0
    public var bytesServerToClient = 0
    /// Every connection, in the order they were accepted.
    public var connections: [FaultProxyConnectionStats] = []
}
