import Forward
import Foundation
import MailferryConfig
import Migration

/// What `mailferry forward` prints: the dry run's plan and the counters at the end, as text
/// or as one JSON object.
enum ForwardOutput {
    static func planText(_ settings: ForwardSettings) -> String {
        let configuration = settings.configuration
        var lines = ["would forward, each connection preceded by a PROXY v2 header with the client's address:"]
        let labels = configuration.listeners.map { "\($0.name): \($0.listen)" }
        let width = labels.map(\.count).max() ?? 0
        for (label, listener) in zip(labels, configuration.listeners) {
            lines.append("  \(label)\(String(repeating: " ", count: width - label.count)) -> \(listener.upstream)")
        }
        lines.append(
            "limits: \(configuration.maxConnections) connections, \(configuration.maxConnectionsPerSource) per client address; "
                + "connect timeout \(words(configuration.connectTimeout)), idle timeout \(words(configuration.idleTimeout)), "
                + "grace on stop \(words(settings.grace)), \(configuration.bufferSize) bytes buffered per direction")
        return lines.joined(separator: "\n") + "\n"
    }

    struct Plan: Encodable {
        struct Listener: Encodable {
            var name: String
            var listen: String
            var upstream: String
        }
        var listeners: [Listener]
        var proxyProtocol = "v2"
        var maxConnections: Int
        var maxConnectionsPerSource: Int
        var connectTimeoutSeconds: Double
        var idleTimeoutSeconds: Double
        var graceSeconds: Double
        var bufferSize: Int
    }

    static func planJSON(_ settings: ForwardSettings) -> String {
        let configuration = settings.configuration
        let plan = Plan(
            listeners: configuration.listeners.map { .init(name: $0.name, listen: $0.listen.description, upstream: $0.upstream.description) },
            maxConnections: configuration.maxConnections, maxConnectionsPerSource: configuration.maxConnectionsPerSource,
            connectTimeoutSeconds: seconds(configuration.connectTimeout), idleTimeoutSeconds: seconds(configuration.idleTimeout),
            graceSeconds: seconds(settings.grace), bufferSize: configuration.bufferSize)
        return encode(plan)
    }

    static func countersText(_ counters: ForwardCounters, closedAtDeadline: Int) -> String {
        var lines = [
            "forwarded \(counters.accepted) connections (\(closedAtDeadline) closed at the end of the grace period)",
            "refused: \(counters.rejectedTotalCap) over max_connections, \(counters.rejectedSourceCap) over max_connections_per_source; "
                + "\(counters.upstreamFailures) upstream failures, \(counters.idleClosed) closed idle",
            "bytes: \(counters.bytesFromClients) from clients, \(counters.bytesFromUpstreams) from the new server",
        ]
        let formatter = ISO8601DateFormatter()
        for hour in counters.clientAddressesByHour {
            lines.append("  \(formatter.string(from: hour.hour)): \(hour.addresses) client addresses")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    struct Summary: Encodable {
        var counters: ForwardCounters
        var closedAtDeadline: Int
    }

    static func countersJSON(_ counters: ForwardCounters, closedAtDeadline: Int) -> String {
        encode(Summary(counters: counters, closedAtDeadline: closedAtDeadline))
    }

    private static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        // Encoding plain values cannot fail.
        return String(decoding: (try? encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self) + "\n"
    }

    /// `10s`, `35m`, `2h`, `1.5s`: as a config file would say it.
    static func words(_ duration: Duration) -> String {
        let value = seconds(duration)
        guard value == value.rounded(), value >= 1 else { return "\(value)s" }
        let whole = Int(value)
        if whole % 3600 == 0 { return "\(whole / 3600)h" }
        if whole % 60 == 0 { return "\(whole / 60)m" }
        return "\(whole)s"
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
