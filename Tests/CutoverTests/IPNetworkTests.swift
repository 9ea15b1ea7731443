import Cutover
import Testing

@Suite struct IPNetworkTests {
    @Test(arguments: [
        ("192.0.2.0/24", "192.0.2.10", true),
        ("192.0.2.0/24", "192.0.3.10", false),
        ("192.0.2.10", "192.0.2.10", true),
        ("192.0.2.10/32", "192.0.2.11", false),
        ("0.0.0.0/0", "203.0.113.7", true),
        ("10.0.0.0/9", "10.127.255.255", true),
        ("10.0.0.0/9", "10.128.0.0", false),
        ("2001:db8::/32", "2001:db8:1::5", true),
        ("2001:db8::/32", "2001:db9::5", false),
        // An IPv4 address never matches an IPv6 network, nor the reverse.
        ("::/0", "192.0.2.10", false),
        ("0.0.0.0/0", "::1", false),
    ])
    func containment(network: String, address: String, expected: Bool) throws {
        let net = try #require(IPNetwork(network))
        let one = try #require(IPNetwork(address: address))
        #expect(net.contains(one) == expected)
    }

    @Test(arguments: ["", "old.example.com", "192.0.2.1/33", "192.0.2.1/", "192.0.2.1/-1", "2001:db8::/129", "192.0.2.256"])
    func refusesWhatIsNotANetwork(text: String) {
        #expect(IPNetwork(text) == nil)
    }

    @Test func anAddressHasNoPrefixAndListsKeepHostNamesApart() {
        #expect(IPNetwork(address: "192.0.2.0/24") == nil)
        let list = IPNetwork.list("192.0.2.0/24, 2001:db8::1 old.example.com")
        #expect(list.networks.map(\.description) == ["192.0.2.0/24", "2001:db8::1"])
        #expect(list.other == ["old.example.com"])
    }
}
