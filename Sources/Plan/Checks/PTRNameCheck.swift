import Cutover
import DNSCodec

/// Each server's addresses' PTR names against its Postfix's `myhostname`: receivers compare
/// the name a client greets with (Postfix's EHLO is its `myhostname`) with the reverse DNS
/// of its address, and many score or refuse mail where the two differ. Runs only with the
/// DNS part, on the same authoritative lookups; an address without any PTR is the DNS
/// check's finding, not this one's.
public struct PTRNameCheck: Sendable {
    /// One server: which Postfix greets from which addresses.
    public struct Side: Sendable {
        public var label: String
        public var postfix: PostfixHost
        public var addresses: [IPAddress]

        public init(label: String, postfix: PostfixHost, addresses: [IPAddress]) {
            self.label = label
            self.postfix = postfix
            self.addresses = addresses
        }
    }

    public var lookup: AuthoritativeLookup
    public var sides: [Side]

    public init(lookup: AuthoritativeLookup, sides: [Side]) {
        self.lookup = lookup
        self.sides = sides
    }

    public func run() async -> [PlanFinding] {
        var findings: [PlanFinding] = []
        for side in sides where !side.addresses.isEmpty {
            let myhostname: String
            do {
                myhostname = try await side.postfix.value("myhostname")
            } catch {
                findings.append(PlanFinding(area: "hosts", subject: "\(side.label) PTR", severity: .warning,
                                            message: "cannot read the \(side.label) Postfix's myhostname to compare it with the PTR records: \(error)",
                                            action: "Check [plan] \(side.label)_postfix."))
                continue
            }
            for address in side.addresses {
                guard let answer = try? await lookup.query(address.reverseName, .ptr) else { continue }
                let names = answer.records.compactMap(\.data.target)
                guard !names.isEmpty else { continue }
                findings.append(Self.compare(side: side.label, address: address, ptr: names, myhostname: myhostname))
            }
        }
        return findings
    }

    /// The finding for one address: ok when one of its PTR names is `myhostname`, else a
    /// warning with both ways to make them agree.
    static func compare(side: String, address: IPAddress, ptr: [DNSName], myhostname: String) -> PlanFinding {
        let lower = myhostname.lowercased()
        let wanted = lower.hasSuffix(".") ? String(lower.dropLast()) : lower
        let listed = ptr.map(\.description).joined(separator: ", ")
        let subject = "\(side) PTR \(address)"
        if ptr.contains(where: { $0.description == wanted }) {
            return PlanFinding(area: "hosts", subject: subject, severity: .ok,
                               message: "the PTR of the \(side) address \(address) is the \(side) Postfix's myhostname (\(myhostname))")
        }
        return PlanFinding(area: "hosts", subject: subject, severity: .warning,
                           message: "the PTR of the \(side) address \(address) is \(listed), but the \(side) Postfix's myhostname is \(myhostname): receivers that compare the EHLO name with the reverse DNS score or refuse its mail",
                           action: "Set myhostname = \(ptr[0]) in the \(side) Postfix's main.cf (its A/AAAA must lead back to \(address)), or ask whoever owns \(address) (the hosting provider) to set its PTR to \(myhostname).")
    }
}
