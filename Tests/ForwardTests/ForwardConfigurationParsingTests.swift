import Forward
import Testing

/// `host:port` and `NAME=LISTEN=UPSTREAM` as flags and the `[forward]` table give them.
@Suite struct ForwardConfigurationParsingTests {
    @Test(arguments: [
        ("host:143", "host", 143), ("[::1]:993", "::1", 993), ("587", "0.0.0.0", 587), (":110", "0.0.0.0", 110), ("192.0.2.1:0", "192.0.2.1", 0),
    ])
    func parses(text: String, host: String, port: Int) {
        #expect(ForwardConfiguration.Endpoint.parse(text, defaultHost: "0.0.0.0") == .init(host: host, port: port))
    }

    @Test(arguments: ["host", "host:", "host:65536", "::1:143", "[::1]993", "[::1]:", "host:-1", "143"])
    func refuses(text: String) {
        #expect(ForwardConfiguration.Endpoint.parse(text) == nil)
    }

    @Test func listenerFromAFlag() {
        #expect(
            ForwardConfiguration.Listener.parse("imaps=[::]:993=new.example.org:10993")
                == .init(name: "imaps", listen: .init(host: "::", port: 993), upstream: .init(host: "new.example.org", port: 10993)))
        #expect(ForwardConfiguration.Listener.parse("=143=new:1") == nil)
        #expect(ForwardConfiguration.Listener.parse("imap=143=new:1=x") == nil)
    }
}
