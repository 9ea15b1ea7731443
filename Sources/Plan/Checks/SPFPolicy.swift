import DNSCodec

/// The parts of an SPF record (RFC 7208) that decide whether a given address may send: the
/// `ip4:`/`ip6:` ranges, `a`, `mx`, the `include:`s it cannot judge alone, and the default.
struct SPFPolicy: Equatable {
    var networks: [(IPAddress, Int)] = []
    var usesA = false
    var usesMX = false
    var includes: [String] = []
    /// `-all` (fail), `~all` (softfail), `?all` (neutral), `+all`; nil without `all`.
    var all: Character?

    static func == (lhs: SPFPolicy, rhs: SPFPolicy) -> Bool {
        lhs.networks.map { "\($0.0)/\($0.1)" } == rhs.networks.map { "\($0.0)/\($0.1)" }
            && lhs.usesA == rhs.usesA && lhs.usesMX == rhs.usesMX && lhs.includes == rhs.includes && lhs.all == rhs.all
    }

    /// Parses `v=spf1 ...`; nil when the text is not an SPF record.
    init?(_ text: String) {
        let terms = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { $0.lowercased() }
        guard terms.first == "v=spf1" else { return nil }
        for var term in terms.dropFirst() {
            var qualifier: Character = "+"
            if let first = term.first, "+-~?".contains(first) {
                qualifier = first
                term.removeFirst()
            }
            guard qualifier == "+" || term == "all" else { continue }
            if term == "all" {
                all = qualifier
            } else if term.hasPrefix("ip4:") || term.hasPrefix("ip6:") {
                let value = term.dropFirst(4)
                let parts = value.split(separator: "/", maxSplits: 1)
                guard let address = parts.first.flatMap({ IPAddress(String($0)) }) else { continue }
                let length = parts.count > 1 ? Int(parts[1]) ?? -1 : address.octets.count * 8
                networks.append((address, length))
            } else if term == "a" || term.hasPrefix("a:") || term.hasPrefix("a/") {
                usesA = true
            } else if term == "mx" || term.hasPrefix("mx:") || term.hasPrefix("mx/") {
                usesMX = true
            } else if term.hasPrefix("include:") {
                includes.append(String(term.dropFirst(8)))
            } else if term.hasPrefix("redirect=") {
                includes.append(String(term.dropFirst(9)))
            }
        }
    }

    /// Whether an `ip4:`/`ip6:` range of the record lists the address.
    func lists(_ address: IPAddress) -> Bool {
        networks.contains { address.isIn($0.0, prefixLength: $0.1) }
    }
}
