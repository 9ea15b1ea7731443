import Foundation
import Synchronization
import TestbedClient

/// The cutover benchmark's mail: simulated sending MTAs, each on a thread of its own
/// (pacing itself with blocking sleeps, off the concurrency pool), together sending `rate` messages
/// per second, message i from sender i mod `senders`. Before the DNS switch every sender
/// delivers to the old host; after it, the stale senders (the first `staleFraction` of them)
/// keep the old host for `staleSeconds` more. A refused attempt (no connection, or any reply
/// but 250) is retried `retrySeconds` later, to whichever host the sender then uses; real MTAs
/// wait 5-30 minutes, so every refusal is mail delayed that long. Every attempt is recorded.
final class CutoverBenchLoad: Sendable {
    struct Settings: Sendable {
        var rate = 5.0
        var senders = 20
        var staleFraction = 0.2
        var staleSeconds = 30.0
        var retrySeconds = 10.0
        /// After this many refused attempts a message is given up (counted as never accepted).
        var maxAttempts = 30
    }

    struct Attempt: Sendable {
        var message: Int
        var toOld: Bool
        /// When the session began and when its last reply came (seconds since 1970).
        var startedAt: Double
        var at: Double
        var accepted: Bool
        var reply: String
    }

    let settings: Settings
    let old: TestbedEndpoint
    let new: TestbedEndpoint
    let recipients: [String]
    private let attempts = Mutex<[Attempt]>([])
    private let begun = Mutex<Double?>(nil)
    private let switchedAt = Mutex<Double?>(nil)
    private let stopAt = Mutex<Double?>(nil)
    private let running = Mutex(0)
    private let abandoned = Mutex(false)

    init(settings: Settings, old: TestbedEndpoint, new: TestbedEndpoint, recipients: [String]) {
        self.settings = settings
        self.old = old
        self.new = new
        self.recipients = recipients
    }

    static func subject(_ message: Int) -> String { "flow-\(message)" }

    /// Starts every sender; message 0 goes at once.
    func begin() {
        let start = Date().timeIntervalSince1970
        begun.withLock { $0 = start }
        running.withLock { $0 = settings.senders }
        for sender in 0..<settings.senders {
            let thread = Thread { [self] in
                defer { running.withLock { $0 -= 1 } }
                send(as: sender, from: start)
            }
            thread.start()
        }
    }

    /// The DNS switch: from `at` on, senders that are not stale deliver to the new host.
    func switchDNS(at: Double) { switchedAt.withLock { if $0 == nil { $0 = at } } }

    /// Every attempt so far.
    var recorded: [Attempt] { attempts.withLock { $0 } }

    var switched: Double? { switchedAt.withLock { $0 } }
    var startedAt: Double? { begun.withLock { $0 } }

    /// No message is begun from now on; retries go on until accepted or given up.
    func stop() { stopAt.withLock { $0 = Date().timeIntervalSince1970 } }

    /// Ends every sender at its next step, retries or not (a runbook failed: nothing to measure).
    func abandon() {
        abandoned.withLock { $0 = true }
        stop()
    }

    /// Every sender has finished (after `stop`).
    var finished: Bool { running.withLock { $0 } == 0 }

    private func send(as sender: Int, from start: Double) {
        var nextNew = sender
        var retries: [(message: Int, due: Double, failures: Int)] = []
        let stale = sender < Int((Double(settings.senders) * settings.staleFraction).rounded())
        while !abandoned.withLock({ $0 }) {
            let newDue = start + Double(nextNew) / settings.rate
            let stop = stopAt.withLock { $0 }
            let takeNew = stop.map { newDue < $0 } ?? true
            let retry = retries.indices.min { retries[$0].due < retries[$1].due }
            let due: Double
            if let retry, !takeNew || retries[retry].due < newDue {
                due = retries[retry].due
            } else if takeNew {
                due = newDue
            } else {
                return
            }
            let wait = due - Date().timeIntervalSince1970
            if wait > 0 {
                // Wake at least every second, so a stop is seen while waiting for a new message.
                Thread.sleep(forTimeInterval: min(wait, 1))
                continue
            }
            var message = nextNew
            var failures = 0
            if let retry, retries[retry].due == due {
                message = retries[retry].message
                failures = retries[retry].failures
                retries.remove(at: retry)
            } else {
                nextNew += settings.senders
            }
            if !attemptWaiting(message, sender: sender, stale: stale) {
                failures += 1
                if failures < settings.maxAttempts {
                    retries.append((message, Date().timeIntervalSince1970 + settings.retrySeconds, failures))
                }
            }
        }
    }

    /// ``attempt(_:sender:stale:)`` awaited on this sender's own thread, which may block: it
    /// is not one of the concurrency pool's.
    private func attemptWaiting(_ message: Int, sender: Int, stale: Bool) -> Bool {
        final class Outcome: @unchecked Sendable {  // written before `done` is signalled, read after
            var accepted = false
        }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        Task {
            outcome.accepted = await attempt(message, sender: sender, stale: stale)
            done.signal()
        }
        done.wait()
        return outcome.accepted
    }

    /// One SMTP session; true when the message was accepted (250).
    private func attempt(_ message: Int, sender: Int, stale: Bool) async -> Bool {
        let startedAt = Date().timeIntervalSince1970
        let toOld = switchedAt.withLock { $0 }.map { startedAt < $0 + (stale ? settings.staleSeconds : 0) } ?? true
        let recipient = recipients[message % recipients.count]
        let subject = Self.subject(message)
        var accepted = false
        var reply: String
        do {
            let session = try await SMTPTestSession(toOld ? old : new, timeout: 60)
            reply = try await session.send(from: "sender\(sender)@ext.test", to: [recipient],
                                     message: "From: sender\(sender)@ext.test\nTo: \(recipient)\nSubject: \(subject)\n"
                                         + "Message-ID: <\(subject)@ext.test>\n\n\(subject)\n")
            try? await session.quit()
            accepted = reply.hasPrefix("250")
        } catch {
            reply = "\(error)"
        }
        let record = Attempt(message: message, toOld: toOld, startedAt: startedAt, at: Date().timeIntervalSince1970, accepted: accepted, reply: reply)
        attempts.withLock { $0.append(record) }
        return accepted
    }
}
