import DNSCodec
import Foundation
import MailferryConfig
import Migration

/// The DNS part of `mailferry plan`: for each domain, what its authoritative servers
/// publish about mail delivery and mail clients, what must change at the switch, and how
/// long caches will keep sending mail to the old server afterwards. Read-only: it only asks.
public struct DNSCheck: Sendable {
    public var lookup: AuthoritativeLookup
    public var settings: DNSPlanSettings

    public init(lookup: AuthoritativeLookup, settings: DNSPlanSettings) {
        self.lookup = lookup
        self.settings = settings
    }

    /// What the checks produce: findings, every record consulted, and the schedule.
    public struct Result: Sendable {
        public var findings: [PlanFinding] = []
        public var records: [PlanRecord] = []
        public var schedule: PlanSchedule?
    }

    public func run() async -> Result {
        var result = Result()
        for domain in settings.domains {
            await check(domain, into: &result)
        }
        for address in settings.newAddresses {
            await checkPTR(address, into: &result)
        }
        let counted = result.records.filter { $0.pointsToOld || $0.role == "tlsa" }
        let longest = counted.max { $0.ttl < $1.ttl }
        result.schedule = PlanSchedule(
            longestTTL: longest?.ttl ?? 0, longestTTLRecord: longest.map { "\($0.name) \($0.type)" },
            marginSeconds: settings.marginSeconds, switchAt: settings.switchAt)
        if let schedule = result.schedule {
            result.findings.append(Self.decommissionFinding(schedule, oldAddresses: settings.oldAddresses))
        }
        return result
    }

    func finding(_ subject: DNSName, _ severity: PlanFinding.Severity, _ message: String, action: String? = nil) -> PlanFinding {
        PlanFinding(area: "dns", subject: subject.description, severity: severity, message: message, action: action)
    }

    func pointsToOld(_ address: IPAddress) -> Bool { settings.oldAddresses.contains(address) }
    func pointsToNew(_ address: IPAddress) -> Bool { settings.newAddresses.contains(address) }

    /// Whether an MX host's name can stay at the switch, with only its address changing:
    /// only for a name inside a migrated domain, whose zone the admin edits anyway. A name
    /// elsewhere (the old provider's `mx.provider.net`) is not theirs to re-point, so the MX
    /// record itself must change, and senders cache it for its TTL.
    func nameCanStay(_ host: DNSName) -> Bool { settings.domains.contains { host.isSubdomain(of: $0) } }

    func record(_ record: DNSResourceRecord, role: String) -> PlanRecord {
        let old = record.data.address.map(pointsToOld) ?? false
        return PlanRecord(name: record.name.description, type: record.type.description, value: Self.text(record.data),
                          ttl: record.ttl, role: role, pointsToOld: old)
    }

    private func check(_ domain: DNSName, into result: inout Result) async {
        let mx: AuthoritativeAnswer
        do {
            mx = try await lookup.query(domain, .mx)
        } catch {
            result.findings.append(finding(domain, .blocker, "cannot read the MX records from the domain's own name servers: \(error)",
                                           action: "Check that the domain is delegated and its name servers answer (the plan follows NS from the configured roots)."))
            return
        }
        let negative = await negativeTTL(domain) ?? mx.negativeTTL
        var hosts: [(preference: UInt16, name: DNSName)] = mx.records.compactMap { record -> (preference: UInt16, name: DNSName)? in
            guard case .mx(let preference, let exchange) = record.data else { return nil }
            return (preference, exchange)
        }
        hosts.sort { $0.preference < $1.preference }
        if hosts.isEmpty {
            result.findings.append(finding(domain, .warning, "\(domain) has no MX record: senders deliver to its own A/AAAA (RFC 5321 implicit MX)",
                                           action: "Publish an MX record for \(domain), \(Self.ahead(negative))."))
            hosts = [(0, domain)]
        } else if let ttl = mx.records.first?.ttl {
            result.findings.append(finding(domain, .ok, "MX: " + hosts.map { "\($0.name) (preference \($0.preference))" }.joined(separator: ", ") + ", TTL \(ttl) s, answered by \(mx.server)"))
        }
        var oldHosts: [DNSName] = []
        let mxAt = result.records.count
        for host in hosts {
            if await checkMXHost(host.name, preference: host.preference, domain: domain, negative: negative, into: &result) { oldHosts.append(host.name) }
        }
        // An MX record leads to the old server only when its name must change: a kept name
        // is looked up again, so its cached MX record sends nobody to the old address.
        let mustChange = Set(oldHosts.filter { !nameCanStay($0) })
        let mxRecords = (mx.aliases + mx.records).map { answer in
            var planned = record(answer, role: "mx")
            planned.pointsToOld = answer.type == .mx ? answer.data.target.map(mustChange.contains) ?? false : !mustChange.isEmpty
            return planned
        }
        result.records.insert(contentsOf: mxRecords, at: mxAt)
        if oldHosts.isEmpty, !hosts.isEmpty {
            result.findings.append(finding(domain, .warning, "no MX host of \(domain) resolves to an old address (\(settings.oldAddresses.map(\.description).joined(separator: ", ")))",
                                           action: "Check [plan] old_addresses: the plan cannot tell which records must change."))
        }
        await checkSPF(domain, mxHosts: hosts.map(\.name), into: &result)
        await checkMTASTS(domain, negative: negative, into: &result)
        await checkClientNames(domain, negative: negative, into: &result)
        await checkResolvers(domain, authoritative: mx, into: &result)
    }

    /// One MX host: its addresses and TTLs, whether it is the old server, a backup MX or
    /// already the new one, IPv4/IPv6 asymmetry, and its DANE TLSA records. Returns whether
    /// it leads to the old server.
    private func checkMXHost(_ host: DNSName, preference: UInt16, domain: DNSName, negative: UInt32?, into result: inout Result) async -> Bool {
        let addresses: [DNSResourceRecord]
        do {
            addresses = try await lookup.addresses(of: host)
        } catch {
            result.findings.append(finding(host, .blocker, "cannot read the addresses of MX host \(host): \(error)",
                                           action: "Fix the MX host's records or its zone's name servers."))
            return false
        }
        result.records += addresses.map { record($0, role: "mx-host") }
        let values = addresses.compactMap(\.data.address)
        let toOld = values.filter(pointsToOld)
        let listed = addresses.map { "\($0.type) \(Self.text($0.data)) TTL \($0.ttl) s" }.joined(separator: ", ")
        if values.isEmpty {
            result.findings.append(finding(host, .blocker, "MX host \(host) (preference \(preference)) has no A or AAAA record",
                                           action: "Publish its address, or remove the MX record."))
            return false
        }
        if toOld.isEmpty {
            if values.allSatisfy(pointsToNew) {
                result.findings.append(finding(host, .ok, "MX host \(host) already points to the new server (\(listed))"))
            } else {
                result.findings.append(finding(host, .warning, "MX host \(host) (preference \(preference)) is neither the old nor the new server (\(listed)): a backup MX or a filter keeps relaying to whatever it was told",
                                               action: "Before the switch, make \(host) relay \(domain) to the new server (its transport or relay_domains), or remove it from the MX records."))
            }
        } else {
            let longest = addresses.filter { $0.data.address.map(pointsToOld) ?? false }.map(\.ttl).max() ?? 0
            if nameCanStay(host) {
                result.findings.append(finding(host, .ok, "MX host \(host) (preference \(preference)) is the old server (\(listed)). Keep the name and change only its address at the switch: then only these TTLs matter, not the MX's."))
            } else {
                result.findings.append(finding(host, .warning, "MX host \(host) (preference \(preference)) is the old server (\(listed)), under a name outside the migrated domains: the MX record itself must change at the switch, so senders keep the old name for the MX record's TTL too, and the schedule counts it",
                                               action: "Lower the TTL of \(domain)'s MX records to 300 s now, at least their current TTL before the switch, or give the MX a name inside \(domain) that points to the old server now and to the new one at the switch."))
            }
            if longest > 3600 {
                result.findings.append(finding(host, .warning, "the old MX host's address has a long TTL (\(longest) s): caches will keep sending mail to the old server up to \(Self.duration(Int(longest))) after the switch",
                                               action: "Lower the TTL of \(host)'s A/AAAA records to 300 s now, at least \(Self.duration(Int(longest))) before the switch; the cutover's drain then shortens accordingly."))
            }
            let oldV6 = addresses.contains { $0.type == .aaaa }
            let newV6 = settings.newAddresses.contains { !$0.isIPv4 }
            let newV4 = settings.newAddresses.contains(where: \.isIPv4)
            let oldV4 = addresses.contains { $0.type == .a }
            if oldV6 && !newV6 {
                result.findings.append(finding(host, .blocker, "\(host) has an AAAA record but the new server has no IPv6 address: after the switch, IPv6 senders would still deliver to the old server",
                                               action: "Give the new server an IPv6 address for the AAAA record, or remove the AAAA record at least its TTL before the switch."))
            }
            if oldV4 != newV4 || (!oldV6 && newV6) {
                result.findings.append(finding(host, .warning, "address families differ: the old MX host has \(oldV4 ? "IPv4" : "no IPv4")/\(oldV6 ? "IPv6" : "no IPv6"), the new server \(newV4 ? "IPv4" : "no IPv4")/\(newV6 ? "IPv6" : "no IPv6")",
                                               action: "Create the records of a family the MX host does not have yet \(Self.ahead(negative))."))
            }
        }
        await checkTLSA(host, negative: negative, into: &result)
        return !toOld.isEmpty
    }

    /// How long resolvers may cache that a name or record does not exist, from the domain's
    /// SOA, read once per domain: RFC 2308 section 5 caps a negative answer's life at the
    /// lesser of the SOA's own TTL and its minimum field.
    func negativeTTL(_ domain: DNSName) async -> UInt32? {
        guard let answer = try? await lookup.query(domain, .soa) else { return nil }
        for record in answer.records {
            if case .soa(let soa) = record.data { return min(soa.minimum, record.ttl) }
        }
        return answer.negativeTTL
    }

    /// "at least N s ahead of the switch", for a finding that asks for a new record.
    static func ahead(_ negative: UInt32?) -> String {
        guard let negative else {
            return "days ahead of the switch (resolvers cache a name's absence for as long as the zone's SOA says, RFC 2308, and the SOA could not be read)"
        }
        return "at least \(negative) s ahead of the switch (resolvers cache a name's absence for the lesser of the SOA's TTL and minimum, RFC 2308)"
    }

    static func decommissionFinding(_ schedule: PlanSchedule, oldAddresses: [IPAddress]) -> PlanFinding {
        var message = "the old server may be switched off \(duration(schedule.decommissionAfterSeconds)) after the switch"
        if let date = schedule.decommissionDate {
            message += ", on \(ISO8601DateFormatter().string(from: date))"
        }
        message += ": longest TTL \(schedule.longestTTL) s" + (schedule.longestTTLRecord.map { " (\($0))" } ?? "")
            + " + margin \(duration(schedule.marginSeconds)), and never before RFC 5321's 5-day retry horizon."
            + " TTLs are a floor, not a promise: some resolvers clamp them upwards or serve stale answers (RFC 8767)."
        // With the address itself moving, no record changes and every cache stays right.
        let addresses = oldAddresses.isEmpty ? "the old server's address" : oldAddresses.map(\.description).joined(separator: ", ")
        return PlanFinding(area: "dns", subject: "decommission", severity: .ok, message: message,
                           action: "If \(addresses) can move to the new host at the switch (same provider or network), move it: no DNS record changes, so the DNS wait vanishes and the old server can go as soon as its own queue is empty.")
    }

    /// `3600 s`, `2 h`, `5 d 1 h`: whole units, for messages.
    static func duration(_ seconds: Int) -> String {
        if seconds < 120 { return "\(seconds) s" }
        if seconds < 7200 { return "\(seconds / 60) min" }
        if seconds < 2 * 86_400 { return "\(seconds / 3600) h" }
        let hours = (seconds % 86_400) / 3600
        return "\(seconds / 86_400) d" + (hours > 0 ? " \(hours) h" : "")
    }

    /// A record's data as zone-file text.
    static func text(_ data: DNSRecordData) -> String {
        switch data {
        case .a, .aaaa: return data.address?.description ?? ""
        case .ns(let name), .cname(let name), .ptr(let name): return name.description + "."
        case .mx(let preference, let exchange): return "\(preference) \(exchange)."
        case .txt: return "\"" + (data.text ?? "") + "\""
        case .soa(let soa): return "\(soa.primary). \(soa.mailbox). \(soa.serial) \(soa.refresh) \(soa.retry) \(soa.expire) \(soa.minimum)"
        case .srv(let priority, let weight, let port, let target): return "\(priority) \(weight) \(port) \(target)."
        case .tlsa(let usage, let selector, let matching, let bytes):
            return "\(usage) \(selector) \(matching) " + bytes.map { String($0 >> 4, radix: 16) + String($0 & 0xf, radix: 16) }.joined()
        case .other(let bytes): return "\\# \(bytes.count)"
        }
    }
}
