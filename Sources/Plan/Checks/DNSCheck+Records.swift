import DNSCodec
import MailferryConfig

/// The records around the MX: SPF, PTR, DANE TLSA, MTA-STS, the names mail clients use,
/// and what the configured resolvers answer today.
extension DNSCheck {
    func checkSPF(_ domain: DNSName, mxHosts: [DNSName], into result: inout Result) async {
        guard let answer = try? await lookup.query(domain, .txt) else {
            result.findings.append(finding(domain, .warning, "cannot read \(domain)'s TXT records, so SPF is not checked"))
            return
        }
        let spf = answer.records.filter { $0.data.text.flatMap(SPFPolicy.init) != nil }
        result.records += spf.map { record($0, role: "spf") }
        guard let text = spf.first?.data.text, let policy = SPFPolicy(text) else {
            result.findings.append(finding(domain, .warning, "\(domain) publishes no SPF record",
                                           action: "Consider publishing one that lists the new server (and the old one through the drain)."))
            return
        }
        let missing = settings.newAddresses.filter { !policy.lists($0) }
        let oldMissing = policy.usesMX || policy.usesA ? [] : settings.oldAddresses.filter { !policy.lists($0) }
        if missing.isEmpty {
            result.findings.append(finding(domain, .ok, "SPF lists the new server's address\(settings.newAddresses.count == 1 ? "" : "es") (\(text))"))
        } else if policy.usesMX || policy.usesA || !policy.includes.isEmpty {
            let via = (policy.usesMX ? ["mx"] : []) + (policy.usesA ? ["a"] : []) + policy.includes.map { "include:\($0)" }
            result.findings.append(finding(domain, .warning, "SPF does not list \(missing.map(\.description).joined(separator: ", ")) itself; it may match through \(via.joined(separator: " ")) once those records change (\(text))",
                                           action: "Make sure \(via.joined(separator: " ")) covers the new address at the switch, or add ip4:/ip6: for it now."))
        } else {
            let strict = policy.all == "-"
            result.findings.append(finding(domain, strict ? .blocker : .warning,
                                           "SPF does not allow the new server's address \(missing.map(\.description).joined(separator: ", ")) (\(text)): mail the new server sends for \(domain) fails SPF" + (strict ? " and receivers that honour -all reject it" : ""),
                                           action: "Add " + missing.map { ($0.isIPv4 ? "ip4:" : "ip6:") + $0.description }.joined(separator: " ") + " to the SPF record before the switch, and keep the old address in it through the drain."))
        }
        if !oldMissing.isEmpty {
            result.findings.append(finding(domain, .warning, "SPF does not list the old server's address \(oldMissing.map(\.description).joined(separator: ", ")): mail it sends from there, also during the drain, fails SPF",
                                           action: "List every address the old server sends from in SPF until it is switched off."))
        }
    }

    func checkPTR(_ address: IPAddress, into result: inout Result) async {
        let subject = address.reverseName
        guard let answer = try? await lookup.query(subject, .ptr), let name = answer.records.first?.data.target else {
            result.findings.append(finding(subject, .warning, "the new address \(address) has no PTR record: many receivers refuse mail from addresses without reverse DNS",
                                           action: "Ask whoever owns \(address) (the hosting provider) to set its PTR to the new server's myhostname, whose A/AAAA must lead back to \(address)."))
            return
        }
        result.records += answer.records.map { record($0, role: "ptr") }
        let forward = (try? await lookup.addresses(of: name))?.compactMap(\.data.address) ?? []
        if forward.contains(address) {
            result.findings.append(finding(subject, .ok, "PTR of the new address \(address) is \(name), which leads back to it"))
        } else {
            result.findings.append(finding(subject, .warning, "PTR of the new address \(address) is \(name), but \(name) does not resolve back to \(address)",
                                           action: "Publish \(name) A/AAAA \(address): receivers check that the name and the address agree (FCrDNS)."))
        }
    }

    func checkTLSA(_ host: DNSName, negative: UInt32?, into result: inout Result) async {
        guard let name = try? host.prepending("_25._tcp"), let answer = try? await lookup.query(name, .tlsa), !answer.records.isEmpty else { return }
        result.records += answer.records.map { record($0, role: "tlsa") }
        result.findings.append(finding(name, .warning, "DANE: \(answer.records.count) TLSA record\(answer.records.count == 1 ? " pins" : "s pin") the MX's TLS key (TTL \(answer.longestTTL) s); DANE senders refuse a key that is not listed",
                                       action: "Publish the new server's TLSA record next to the old one at least \(Self.duration(Int(answer.longestTTL))) before the switch; remove the old one only after the drain. If the MX name changes, create _25._tcp under the new name \(Self.ahead(negative))."))
    }

    func checkMTASTS(_ domain: DNSName, negative: UInt32?, into result: inout Result) async {
        guard let name = try? domain.prepending("_mta-sts"), let answer = try? await lookup.query(name, .txt) else { return }
        let policies = answer.records.filter { $0.data.text?.lowercased().hasPrefix("v=stsv1") == true }
        guard !policies.isEmpty else { return }
        result.records += policies.map { record($0, role: "mta-sts") }
        result.findings.append(finding(domain, .warning, "MTA-STS is published (\(policies.first?.data.text ?? "")): senders cache the policy's mx: list for its max_age",
                                       action: "If the MX name changes, add the new name to https://mta-sts.\(domain)/.well-known/mta-sts.txt and change the id in \(name) at least max_age before the switch, and create the new name's A/AAAA \(Self.ahead(negative)); if only the address changes, the policy can stay."))
    }

    /// The names mail clients use or discover (RFC 6186 SRV, autoconfig, autodiscover).
    func checkClientNames(_ domain: DNSName, negative: UInt32?, into result: inout Result) async {
        var found: [String] = []
        for label in ["imap", "pop", "pop3", "smtp", "mail", "autoconfig", "autodiscover"] {
            guard let name = try? domain.prepending(label), let records = try? await lookup.addresses(of: name), !records.isEmpty else { continue }
            result.records += records.map { record($0, role: "client") }
            found.append(name.description)
            reportClientName(name, records: records, into: &result)
        }
        for service in ["_imap._tcp", "_imaps._tcp", "_pop3._tcp", "_pop3s._tcp", "_submission._tcp", "_submissions._tcp", "_autodiscover._tcp"] {
            guard let name = try? domain.prepending(service), let answer = try? await lookup.query(name, .srv), !answer.records.isEmpty else { continue }
            result.records += answer.records.map { record($0, role: "client") }
            found.append(name.description)
            for target in answer.records.compactMap(\.data.target) where target != .root && !found.contains(target.description) {
                guard let records = try? await lookup.addresses(of: target), !records.isEmpty else { continue }
                result.records += records.map { record($0, role: "client") }
                found.append(target.description)
                reportClientName(target, records: records, into: &result)
            }
        }
        if found.isEmpty {
            result.findings.append(finding(domain, .ok, "no client names (imap., pop., smtp., mail., autoconfig., autodiscover., RFC 6186 SRV) found under \(domain)",
                                           action: "To publish RFC 6186 SRV records or autoconfig names for the new server, create them \(Self.ahead(negative))."))
        }
    }

    private func reportClientName(_ name: DNSName, records: [DNSResourceRecord], into result: inout Result) {
        let old = records.filter { $0.data.address.map(pointsToOld) ?? false }
        guard !old.isEmpty else {
            result.findings.append(finding(name, .ok, "client name \(name) does not lead to the old server"))
            return
        }
        let ttl = old.map(\.ttl).max() ?? 0
        result.findings.append(finding(name, .warning, "mail clients use \(name), which leads to the old server (TTL \(ttl) s)",
                                       action: "Change it to the new server at the switch; clients may keep using the old address for \(Self.duration(Int(ttl))) (lower the TTL ahead if that is too long)."))
    }

    /// What each configured resolver answers now for the MX, against the zone's own answer.
    func checkResolvers(_ domain: DNSName, authoritative: AuthoritativeAnswer, into result: inout Result) async {
        let expected = Set(authoritative.records.map(\.data))
        for resolver in settings.resolvers {
            let response: DNSMessage
            do {
                response = try await lookup.transport.exchange(.query(id: 0, name: domain, type: .mx, recursionDesired: true), with: resolver)
            } catch {
                result.findings.append(finding(domain, .warning, "resolver \(resolver) did not answer: \(error)"))
                continue
            }
            let records = response.answers(for: domain, type: .mx)
            let ttl = records.map(\.ttl).max() ?? 0
            if Set(records.map(\.data)) != expected {
                result.findings.append(finding(domain, .warning, "resolver \(resolver) answers a different MX set than the authoritative servers (\(records.map { Self.text($0.data) }.joined(separator: ", "))): it still serves a cached or different view",
                                               action: "Expected while a change propagates; otherwise check which servers that resolver asks."))
            } else if ttl > authoritative.longestTTL {
                result.findings.append(finding(domain, .warning, "resolver \(resolver) returns a TTL of \(ttl) s, above the zone's \(authoritative.longestTTL) s: it clamps TTLs upwards",
                                               action: "Count on that resolver's TTL, not the zone's, for the drain."))
            } else {
                result.findings.append(finding(domain, .ok, "resolver \(resolver) agrees with the authoritative servers (\(ttl) s left of \(authoritative.longestTTL) s)"))
            }
        }
    }
}
