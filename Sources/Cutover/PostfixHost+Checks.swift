/// The go/no-go checks around the hold.
extension PostfixHost {
    /// The hold is in force as Postfix will evaluate it: smtpd's first recipient restriction
    /// answers HOLD for each domain, a full address in each domain routes to the hold service
    /// (so no flush can reach the store), the hold service exists, and the mirror's bcc is off.
    public func verifyHold(_ domains: CutoverDomains) async throws -> [CutoverCheck] {
        let directory = mailferryDirectory
        let holdSpec = domains.spec(CutoverDomains.holdMap, type: "regexp", in: directory)
        let transportSpec = domains.spec(CutoverDomains.transportMap, type: "regexp", in: directory)
        var checks: [CutoverCheck] = []
        let restrictions = try await value("smtpd_recipient_restrictions")
        checks.append(CutoverCheck("smtpd holds first", passed: restrictions.hasPrefix("check_recipient_access \(holdSpec)"), detail: restrictions))
        let transports = try await value("transport_maps")
        checks.append(CutoverCheck("transport_maps starts with the cutover table", passed: transports.hasPrefix(transportSpec), detail: transports))
        let service = try await self.service(CutoverDomains.holdService)
        checks.append(CutoverCheck("\(CutoverDomains.holdService) service in master.cf", passed: service != nil, detail: service ?? "missing"))
        for domain in domains.domains {
            let sample = "mailferry-check@\(domain)"
            let action = try await query(sample, in: holdSpec)
            checks.append(CutoverCheck("smtpd holds \(sample)", passed: action?.hasPrefix("HOLD") == true, detail: action ?? "no match"))
            let route = try await query(sample, in: transportSpec)
            checks.append(CutoverCheck("\(sample) routes to the hold service", passed: route == "\(CutoverDomains.holdService):", detail: route ?? "no match"))
        }
        let bcc = try await value("recipient_bcc_maps")
        checks.append(CutoverCheck("mirror bcc off", passed: bcc != HoldPlan.mirrorBccSpec(directory), detail: bcc.isEmpty ? "unset" : bcc))
        return checks
    }

    /// Nothing writes into the store right now: no delivery agent of `programs` runs under
    /// this master, and no message with a recipient in the domains is in the active queue.
    /// Idle agents exit once a reload has been signalled, so right after the hold's reload
    /// this passes as soon as deliveries in flight have finished.
    public func quietStore(_ domains: CutoverDomains, deliveryPrograms programs: Set<String> = ["local", "virtual"]) async throws -> CutoverCheck {
        let agents = try await childPrograms().filter { programs.contains($0.program) }
        let active = try await queue().filter { $0.queueName == "active" && $0.hasRecipient(in: Set(domains.domains)) }
        var detail: [String] = []
        if !agents.isEmpty { detail.append("delivery agents running: " + agents.map { "\($0.program)[\($0.pid)]" }.joined(separator: ", ")) }
        if !active.isEmpty { detail.append("active queue: " + active.map(\.queueID).joined(separator: ", ")) }
        return CutoverCheck("quiet store", passed: detail.isEmpty, detail: detail.isEmpty ? "no delivery agent, no active message" : detail.joined(separator: "; "))
    }

    /// Waits (bounded) until ``quietStore(_:deliveryPrograms:)`` passes; returns the last check.
    public func waitForQuietStore<C: Clock>(
        _ domains: CutoverDomains, deliveryPrograms programs: Set<String> = ["local", "virtual"],
        timeout: Duration, clock: C
    ) async throws -> CutoverCheck where C.Duration == Duration {
        var last = try await quietStore(domains, deliveryPrograms: programs)
        try await Wait.until("a quiet store (\(last.detail))", timeout: timeout, clock: clock) {
            last = try await quietStore(domains, deliveryPrograms: programs)
            return last.passed
        }
        return last
    }
}

/// The check against smtp(8)'s loop detection.
public enum HostnameCheck {
    /// smtp(8) refuses a peer whose EHLO reply names its own `myhostname` ("mail for ...
    /// loops back to myself", 5.4.6, a bounce) when it connects to port 25; Postfix's EHLO
    /// reply is its `myhostname`. So the two must differ before the old server relays.
    public static func distinct(old: PostfixHost, new: PostfixHost) async throws -> CutoverCheck {
        let oldName = try await old.value("myhostname")
        let newName = try await new.value("myhostname")
        let same = oldName.lowercased() == newName.lowercased()
        return CutoverCheck("distinct myhostname", passed: !same,
                            detail: same ? "both are \(oldName): the old server's smtp(8) would bounce the relayed mail as a loop (5.4.6)"
                                         : "old \(oldName), new \(newName)")
    }
}
