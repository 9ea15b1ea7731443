import Forward
import Testing

@Suite("Forward configuration")
struct ForwardConfigurationTests {
    static let imap = ForwardConfiguration.Listener(
        name: "imap", listen: .init(host: "0.0.0.0", port: 143), upstream: .init(host: "new.example.org", port: 10143))

    @Test func aSensibleConfigurationHasNoProblems() {
        #expect(ForwardConfiguration(listeners: [Self.imap]).problems == [])
    }

    @Test func namesEveryProblem() {
        var twice = Self.imap
        twice.upstream.port = 0
        let configuration = ForwardConfiguration(
            listeners: [Self.imap, twice], maxConnections: 0, maxConnectionsPerSource: 0, connectTimeout: .zero, idleTimeout: .zero, bufferSize: 10)
        #expect(
            configuration.problems == [
                "listener imap is named twice", "0.0.0.0:143 is listened on twice", "listener imap: upstream port 0 is not a TCP port",
                "max_connections must be at least 1 (got 0)", "max_connections_per_source must be at least 1 (got 0)",
                "connect_timeout must be above zero", "idle_timeout must be above zero", "buffer_size must be at least 4096 bytes (got 10)",
            ])
        #expect(ForwardConfiguration(listeners: []).problems == ["no listeners: name at least one port to forward"])
    }

    @Test func theDefaultIdleTimeoutOutlastsIMAPIdle() {
        // RFC 2177: clients re-issue IDLE at least every 29 minutes.
        #expect(ForwardConfiguration.defaultIdleTimeout > .seconds(30 * 60))
    }

    @Test func endpointsPrintIPv6InBrackets() {
        #expect(ForwardConfiguration.Endpoint(host: "::1", port: 143).description == "[::1]:143")
        #expect(ForwardConfiguration.Endpoint(host: "192.0.2.1", port: 993).description == "192.0.2.1:993")
    }
}
