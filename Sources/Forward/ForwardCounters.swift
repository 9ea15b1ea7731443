import Foundation

/// A snapshot of what a forwarder has done since it started, for the status output and the
/// cutover's drain report. Addresses, never users: TLS runs end to end through the forwarder.
public struct ForwardCounters: Sendable, Equatable, Codable {
    /// Connections accepted and sent upstream (rejected ones not included).
    public var accepted: Int = 0
    /// Connections open now.
    public var active: Int = 0
    /// Connections closed at once because `max_connections` were open.
    public var rejectedTotalCap: Int = 0
    /// Connections closed at once because their address had `max_connections_per_source` open.
    public var rejectedSourceCap: Int = 0
    /// Connections closed because the upstream refused, did not answer in time, or failed.
    public var upstreamFailures: Int = 0
    /// Connections closed for `idle_timeout` without traffic.
    public var idleClosed: Int = 0
    /// Bytes read from clients (and sent upstream) and read from upstreams (sent to clients);
    /// the PROXY headers are not counted.
    public var bytesFromClients: Int = 0
    public var bytesFromUpstreams: Int = 0
    /// Distinct client addresses per clock hour, oldest first (the last 48 hours).
    public var clientAddressesByHour: [HourCount] = []

    public struct HourCount: Sendable, Equatable, Codable {
        /// The start of the hour (UTC).
        public var hour: Date
        public var addresses: Int
    }

    public init() {}
}
