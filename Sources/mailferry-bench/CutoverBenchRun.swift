import Cutover
import Foundation
import Logging
import MailSpool
import Migration
import Synchronization
import TestbedClient

/// One runbook measured once: a fresh pair of private Postfix instances (old and new), the
/// corpus in the old store, mail flowing from the simulated senders from before the bulk copy
/// until the stale senders moved to the new host, then every queue drained and the new store
/// counted.
struct CutoverBenchRun {
    enum Runbook: String, CaseIterable {
        /// `mailferry cutover run` as the CLI runs it (the same session, effects and journal).
        case mailferry = "mailferry cutover run"
        /// The Q&A's: stop Postfix and IMAP on both, copy, start, switch.
        case qa = "Q&A runbook (stop both, copy, start)"
    }

    static let domain = "bench.test"

    let runbook: Runbook
    let store: CutoverBenchStore
    let load: CutoverBenchLoad.Settings
    let presyncRounds: Int
    let logger: Logger
    /// The old IMAP server's stop and start: a private Courier (``CutoverBenchCourier``), or
    /// stand-ins (`/bin/true`) when the testbed's Courier binaries are not there.
    var realIMAP = true
    /// The mirror phase (``CutoverBenchMirror``): copies of every message reach the new store
    /// before the move, and the runbook must not leave them beside the originals.
    var mirrorPhase = true

    /// What the runbook itself measured (the rest comes from the mail flow and the census).
    struct Window {
        var freeze: Double
        var imap: Double
        var finalDelta: Int
        /// When the old host held mail (nil: the runbook holds nothing).
        var held: ClosedRange<Double>?
        /// The steps from the IMAP stop to the relay, each with its seconds.
        var steps: [(name: String, seconds: Double)]
    }

    func measure() async throws -> CutoverBenchFigures {
        let old = CutoverBenchPostfix(name: "old", hostname: "mx.old.bench.test", users: store.users, domain: Self.domain)
        let new = CutoverBenchPostfix(name: "new", hostname: "mx.new.bench.test", users: store.users, domain: Self.domain)
        let state = NSTemporaryDirectory() + "mailferry-bench-cutover-\(UUID().uuidString.prefix(8))"
        CutoverBenchPostfix.scratch.withLock { _ = $0.insert(state) }
        defer {
            try? FileManager.default.removeItem(atPath: state)
            CutoverBenchPostfix.scratch.withLock { _ = $0.remove(state) }
        }
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        var courier: CutoverBenchCourier?
        if realIMAP {
            switch CutoverBenchCourier.locate(address: old.address, scratch: state) {
            case .success(let found): courier = found
            case .failure(let error): print("the old IMAP stop and start are stand-ins (/bin/true): \(error)")
            }
        }
        do {
            try await old.create()
            try await new.create()
            let figures: CutoverBenchFigures
            if mirrorPhase {
                let mirror = CutoverBenchMirror(spoolDirectory: "\(state)/spool", domain: Self.domain, logger: logger)
                figures = try await mirror.run(old: old, new: new) { spool in
                    var figures = try await measure(old: old, new: new, courier: courier, state: state, mirror: spool)
                    figures.mirrorCopies = try spool.finishedRecords().count
                    return figures
                }
            } else {
                figures = try await measure(old: old, new: new, courier: courier, state: state, mirror: nil)
            }
            courier?.stopIfRunning()
            await old.destroy()
            await new.destroy()
            return figures
        } catch {
            courier?.stopIfRunning()
            await old.destroy()
            await new.destroy()
            throw error
        }
    }

    private func measure(old: CutoverBenchPostfix, new: CutoverBenchPostfix, courier: CutoverBenchCourier?, state: String, mirror: MailSpool?)
        async throws -> CutoverBenchFigures
    {
        try store.writeCorpus(root: old.mailRoot)
        let imap = (stop: courier?.stopCommand ?? ["/bin/true"], start: courier?.startCommand ?? ["/bin/true"])
        // Clients of the old IMAP server while it runs; the stop ends their sessions.
        var clients: [LineSocket] = []
        if let courier {
            try await old.postfix.host.check(courier.startCommand)
            try await waitFor("the private Courier to listen", timeout: .seconds(60)) {
                (try? await LineSocket(host: courier.address, port: courier.port, timeout: 1)) != nil
            }
            clients = try await courier.connectClients(store.users.count)
        }
        defer { clients.removeAll() }
        let configPath = "\(state)/cutover.toml"
        try config(old: old, new: new, imap: imap, state: "\(state)/state", mirrorSpool: mirror == nil ? nil : "\(state)/spool")
            .write(toFile: configPath, atomically: true, encoding: .utf8)
        let flow = CutoverBenchLoad(settings: load, old: old.endpoint, new: new.endpoint,
                                    recipients: store.users.map { "\($0)@\(Self.domain)" })
        flow.begin()
        let window: Window
        do {
            switch runbook {
            case .mailferry: window = try await mailferry(configPath: configPath, old: old, flow: flow)
            case .qa: window = try await questionAndAnswer(configPath: configPath, old: old, new: new, stopIMAP: imap.stop, flow: flow)
            }
        } catch {
            flow.abandon()
            try? await waitFor("the senders to end after the failure", timeout: .seconds(120)) { flow.finished }
            throw error
        }
        // The stale senders keep the old host for their seconds after the switch; then the
        // flow ends and every retry and queue runs out.
        let switched = flow.switched ?? Date().timeIntervalSince1970
        try await waitFor("the stale senders' time to pass", timeout: .seconds(Int64(load.staleSeconds) + 600)) {
            Date().timeIntervalSince1970 > switched + load.staleSeconds + 2
        }
        flow.stop()
        try await waitFor("the senders to end", timeout: .seconds(Int64(load.retrySeconds) * Int64(load.maxAttempts) + 120)) { flow.finished }
        // The mirror's spool too: a copy still on its way would reach the new store after the census.
        try await waitFor("both queues (and the mirror's spool) to empty", timeout: .seconds(300)) {
            let left = try await old.queued() + new.queued() + (mirror?.ids(in: .queue).count ?? 0)
            return left == 0
        }
        let attempts = flow.recorded
        return CutoverBenchFigures(
            runbook: runbook.rawValue, freeze: window.freeze, imapUnavailable: window.imap, finalDelta: window.finalDelta,
            held: window.held, steps: window.steps, attempts: attempts, expected: store.expectedSubjects, census: store.census(root: new.mailRoot))
    }

    /// The production session, effects and journal (as `mailferry cutover run`), with the
    /// delta written right after the first presync; the DNS switch when the new IMAP opens.
    private func mailferry(configPath: String, old: CutoverBenchPostfix, flow: CutoverBenchLoad) async throws -> Window {
        let session = try CutoverSession.open(configPath: configPath)
        let hosts = try session.hosts()
        var effects = session.effects(hosts: hosts, logger: logger, prover: nil)
        effects.drainInterval = .milliseconds(500)
        var runner = session.runner(effects: DeltaAfterFirstPresync(inner: effects, store: store, oldRoot: old.mailRoot))
        runner.observe = { record in
            if record.step == .openLogins, case .finished = record.event { flow.switchDNS(at: record.at) }
        }
        let outcome = try await runner.run()
        guard outcome == .finished else { throw BenchError("mailferry cutover run ended with \(outcome)") }
        let records = try await session.journal.records()
        func at(_ step: CutoverStep, started: Bool) throws -> Double {
            let record = records.last { record in
                guard record.step == step else { return false }
                if case .started = record.event { return started }
                if case .finished = record.event { return !started }
                return false
            }
            guard let record else { throw BenchError("the journal has no \(started ? "start" : "end") of \(step)") }
            return record.at
        }
        let finalDelta = records.compactMap { record -> Int? in
            guard record.step == .finalSync, case .finished(let result) = record.event else { return nil }
            return result.copied
        }.last ?? 0
        let holdStart = try at(.enterHold, started: true)
        let relayed = try at(.relayOldToNew, started: false)
        let steps: [CutoverStep] = [.stopOldIMAP, .enterHold, .verifyHold, .purgeMirrorCopies, .quietStore, .finalSync, .verify,
                                    .deliverLocallyOnNew, .relayOldToNew, .openLogins]
        return Window(
            freeze: relayed - holdStart, imap: try at(.openLogins, started: false) - (try at(.stopOldIMAP, started: true)),
            finalDelta: finalDelta, held: try at(.enterHold, started: false)...(try at(.relayOldToNew, started: true)),
            steps: try steps.map { ($0.name, try at($0, started: false) - (try at($0, started: true))) })
    }

    /// The Q&A's runbook on the same corpus and delta: the bulk copy while mail flows, then
    /// IMAP and Postfix stopped on both hosts, the copy, the old Postfix set to relay the
    /// domain to the new one, both started (the new first, so the old one finds it up), the
    /// new IMAP opened and the DNS switched. The old IMAP server is stopped as in the mailferry
    /// runbook; the new one's opening is a stand-in (there is no Dovecot in the rig).
    private func questionAndAnswer(
        configPath: String, old: CutoverBenchPostfix, new: CutoverBenchPostfix, stopIMAP: [String], flow: CutoverBenchLoad
    ) async throws -> Window
    {
        let mailboxes = FleetMailboxes(configPath: configPath, logger: logger)
        let bulk = try await mailboxes.sync(.presync)
        guard bulk.problems.isEmpty else { throw BenchError("the bulk copy: \(bulk.problems.joined(separator: "; "))") }
        try store.writeDelta(root: old.mailRoot)
        var steps: [(name: String, seconds: Double)] = []
        @discardableResult func step<T>(_ name: String, _ body: () async throws -> T) async throws -> T {
            let start = Date().timeIntervalSince1970
            defer { steps.append((name, Date().timeIntervalSince1970 - start)) }
            return try await body()
        }
        let stopped = Date().timeIntervalSince1970
        try await step("stop-imap") { try await old.postfix.host.check(stopIMAP, timeout: .seconds(120)) }
        try await step("stop-postfix-both") {
            try await old.stopPostfix()
            try await new.stopPostfix()
        }
        let copy = try await step("copy") { try await mailboxes.sync(.final) }
        guard copy.problems.isEmpty else { throw BenchError("the copy: \(copy.problems.joined(separator: "; "))") }
        try await step("relay-old-to-new") {
            try await old.postfix.host.check(["/usr/sbin/postconf", "-c", old.configDirectory, "-e",
                                              "transport_maps = inline:{ \(Self.domain)=relay:[\(new.address)]:\(new.port) }", "soft_bounce = yes"])
        }
        try await step("start-postfix-both") {
            try await new.start()
            try await old.start()
        }
        let relaying = Date().timeIntervalSince1970
        try await step("start-new-imap") { try await new.postfix.host.check(["/bin/true"]) }
        let opened = Date().timeIntervalSince1970
        flow.switchDNS(at: opened)
        return Window(freeze: relaying - stopped, imap: opened - stopped, finalDelta: copy.copied, held: nil, steps: steps)
    }

    private func config(
        old: CutoverBenchPostfix, new: CutoverBenchPostfix, imap: (stop: [String], start: [String]), state: String, mirrorSpool: String?
    ) -> String {
        func array(_ argv: [String]) -> String {
            "[" + argv.map { "\"" + $0.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\"" }.joined(separator: ", ") + "]"
        }
        return """
        [source]
        url = "maildir:\(old.mailRoot)/{user}"
        [destination]
        url = "maildir:\(new.mailRoot)/{user}?format=dovecot"
        owner = "65534:65534"
        [sync]
        state = "\(state)"

        """ + store.users.map { "[[accounts]]\nuser = \"\($0)\"\n" }.joined() + """
        [cutover]
        domains = ["\(Self.domain)"]
        [cutover.old]
        host = "local"
        postfix = "\(old.configDirectory)"
        mail_root = "\(old.mailRoot)"
        stop_imap_command = \(array(imap.stop))
        start_imap_command = \(array(imap.start))
        [cutover.new]
        postfix = "\(new.configDirectory)"
        relay_host = "\(new.address)"
        relay_port = \(new.port)
        deliver_locally_command = ["/bin/true"]
        relay_to_old_command = ["/bin/true"]
        close_logins_command = ["/bin/true"]
        open_logins_command = ["/bin/true"]
        [cutover.presync]
        max_rounds = \(presyncRounds)
        [cutover.drain]
        ttl = "0s"
        margin = "0s"

        """ + (mirrorSpool.map { "[cutover.mirror]\nspool = \"\($0)\"\n" } ?? "")
    }

    private func waitFor(_ what: String, timeout: Duration, _ condition: () async throws -> Bool) async throws {
        try await Wait.until(what, timeout: timeout, interval: .milliseconds(200), clock: ContinuousClock(), condition)
    }
}

/// The cutover's effects with the benchmark's delta written into the old store right after
/// the first presync round, as users' new mail would be between the bulk copy and the hold.
struct DeltaAfterFirstPresync: CutoverEffects {
    let inner: any CutoverEffects
    let store: CutoverBenchStore
    let oldRoot: String

    func perform(_ step: CutoverStep, token: String?) async throws -> CutoverStepOutcome {
        let outcome = try await inner.perform(step, token: token)
        if step == .presync(round: 1) { try store.writeDelta(root: oldRoot) }
        return outcome
    }

    func happened(_ step: CutoverStep, token: String) async throws -> Bool { try await inner.happened(step, token: token) }
}
