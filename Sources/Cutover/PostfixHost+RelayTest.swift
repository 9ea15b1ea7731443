/// The relay test's changes to a Postfix instance: the old host's temporary route, the test
/// messages' submission, and the removal of test messages still queued. None of it touches
/// the cutover's backup: the test undoes its own route before the hold takes the backup.
extension PostfixHost {
    /// Installs ``RelayTest/installRoute(current:mailferryDirectory:)`` (one reload).
    /// Returns once the queue manager and address resolvers that ran before the reload are
    /// gone: `postfix reload` only signals the master, and a message resolved by a resolver
    /// still holding the old `transport_maps` would take the domain's default route instead.
    public func installRelayTestRoute(_ test: RelayTest, timeout: Duration = .seconds(60)) async throws {
        let resolvers: Set<String> = ["qmgr", "oqmgr", "trivial-rewrite"]
        let before = Set(try await childPrograms().filter { resolvers.contains($0.program) }.map(\.pid))
        try await applyUnbacked(test.installRoute(current: try await explicitSettings(), mailferryDirectory: mailferryDirectory))
        try await Wait.until("the old Postfix's queue manager and resolvers to restart after the reload", timeout: timeout,
                             interval: .milliseconds(100), clock: ContinuousClock()) {
            try await childPrograms().allSatisfy { !before.contains($0.pid) || !resolvers.contains($0.program) }
        }
    }

    /// Removes the route again; safe to repeat and when it was never installed.
    public func removeRelayTestRoute() async throws {
        let changes = RelayTest.removeRoute(current: try await explicitSettings(), mailferryDirectory: mailferryDirectory)
        // Without our parameter or service there is nothing to reload for (a resume, a repeat).
        let serviceExists = try await service(RelayTest.service) != nil
        let installed = changes.count > 4 || serviceExists
        try await applyUnbacked(installed ? changes : changes.filter { if case .removeMap = $0 { true } else { false } })
    }

    /// Hands `sample` to this instance's sendmail(1).
    public func submit(_ sample: RelayTest.Sample, of test: RelayTest) async throws {
        try await host.check(test.sendmail(sample, on: self), input: test.message(sample))
    }

    /// Deletes (`postsuper -d`) the test messages among `candidates` (queue id → the sample
    /// the log says it is) that are still queued with that sample's sender and recipient:
    /// nothing else is ever removed. Returns the ids deleted.
    @discardableResult
    public func deleteQueuedTestMessages(_ candidates: [String: RelayTest.Sample]) async throws -> [String] {
        guard !candidates.isEmpty else { return [] }
        let ids = try await queue().filter { entry in
            guard let sample = candidates[entry.queueID] else { return false }
            return entry.sender == sample.sender && entry.recipients.contains { $0.address.lowercased() == sample.envelopeRecipient.lowercased() }
        }.map(\.queueID)
        guard !ids.isEmpty else { return [] }
        try await host.check(["\(commandDirectory)/postsuper", "-c", configDirectory, "-d", "-"], input: Array(ids.map { $0 + "\n" }.joined().utf8))
        return ids
    }

    private func applyUnbacked(_ changes: [PostfixChange]) async throws {
        try await host.check(["/bin/mkdir", "-p", "-m", "0755", mailferryDirectory])
        var outcome = PlanOutcome()
        for change in changes { try await perform(change, heldBefore: [], outcome: &outcome) }
    }
}
