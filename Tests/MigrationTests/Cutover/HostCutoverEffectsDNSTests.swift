import Cutover
import Foundation
import Synchronization
import Testing

@testable import Migration

/// The drain's DNS criterion against scripted rounds and an injected time: the drain ends at
/// the later of the switch + TTL + margin and the last old answer + its TTL + margin, the
/// old answers journaled as they are seen.
@Suite struct HostCutoverEffectsDNSTests {
    /// Rounds from a script, one per drain check; the last one repeats.
    final class ScriptedDNS: DrainDNSWatch {
        let rounds: Mutex<[DrainDNSRound]>
        let asked = Mutex(0)

        init(_ rounds: [DrainDNSRound]) { self.rounds = Mutex(rounds) }

        var questions: [String] { ["the scripted servers"] }

        func round() async -> DrainDNSRound {
            asked.withLock { $0 += 1 }
            return rounds.withLock { $0.count > 1 ? $0.removeFirst() : $0[0] }
        }
    }

    static let switched = 1_800_000_000.0
    static let authoritative = OldDNSAnswer(server: "authoritative 192.0.2.53", host: "mail.example.com", addresses: ["192.0.2.10"], ttl: 172_800)
    static let stillOld = DrainDNSRound(done: false, summary: "0 of 2 answers lead to the new server", oldAnswers: [authoritative])
    static let allNew = DrainDNSRound(done: true, summary: "all 2 answers lead to the new server", oldAnswers: [])

    /// Effects at the time `at` with `dns`, over a journal whose switch is `switched`.
    func effects(at: Double, dns: ScriptedDNS?, journal: ModelJournal) -> HostCutoverEffects {
        var effects = HostCutoverEffectsTests().effects(old: .init(name: "old"), new: .init(name: "new"))
        effects.journal = journal
        effects.now = { at }
        effects.dns = dns
        return effects
    }

    func switchedJournal() async throws -> ModelJournal {
        let journal = ModelJournal()
        try await journal.append(step: .relayOldToNew, event: .finished(CutoverResult()), at: Self.switched)
        return journal
    }

    func oldAnswers(_ journal: ModelJournal) async throws -> [(OldDNSAnswer, Double)] {
        try await journal.records().compactMap { record in
            guard case .oldDNSAnswer(let answer) = record.event else { return nil }
            return (answer, record.at)
        }
    }

    @Test("an old answer holds the drain past the switch's TTL + margin, journaled, until its own TTL + margin has passed")
    func theLastOldAnswerMovesTheReadyTime() async throws {
        let journal = try await switchedJournal()
        let seen = Self.switched + 100
        // The zone still serves the old address: the round is not done.
        let first = try await effects(at: seen, dns: ScriptedDNS([Self.stillOld]), journal: journal).perform(.drainCheck, token: nil)
        guard case .notYet(let waiting, _) = first else { Issue.record("\(first)"); return }
        #expect(waiting.contains("DNS: 0 of 2 answers lead to the new server"), "\(waiting)")
        #expect(try await oldAnswers(journal).map(\.0) == [Self.authoritative])
        #expect(try await oldAnswers(journal).map(\.1) == [seen])

        // A later check by a new process (a resume): the switch's TTL (1 d) + margin (1 h)
        // has passed and every answer is new, but a cache may hold the old answer 2 d from
        // when it was seen.
        let later = Self.switched + 95_000
        let second = try await effects(at: later, dns: ScriptedDNS([Self.allNew]), journal: journal).perform(.drainCheck, token: nil)
        guard case .notYet(let cached, _) = second else { Issue.record("\(second)"); return }
        let ends = Int(seen + 172_800 + 3600 - later)
        #expect(cached == "DNS: last old answer: \(Self.authoritative) at 2027-01-15T08:01:40Z; caches may serve it until "
            + "2027-01-17T08:01:40Z, + margin ends in \(ends) s", "\(cached)")

        let done = try await effects(at: seen + 172_800 + 3600, dns: ScriptedDNS([Self.allNew]), journal: journal).perform(.drainCheck, token: nil)
        guard case .done(let result) = done else { Issue.record("\(done)"); return }
        #expect(result.detail.hasSuffix("; DNS: all 2 answers lead to the new server; last old answer: \(Self.authoritative) at 2027-01-15T08:01:40Z"),
                "\(result.detail)")
        #expect(try await oldAnswers(journal).count == 1)
    }

    @Test("a later answer with a shorter TTL (a resolver's cached copy) is not journaled: it ends no later")
    func aShorterLaterAnswerDoesNotShortenTheWait() async throws {
        let journal = try await switchedJournal()
        let resolver = OldDNSAnswer(server: "resolver 192.0.2.1", host: "mail.example.com", addresses: ["192.0.2.10"], ttl: 50)
        _ = try await effects(at: Self.switched + 100, dns: ScriptedDNS([Self.stillOld]), journal: journal).perform(.drainCheck, token: nil)
        let shorter = DrainDNSRound(done: false, summary: "1 of 2", oldAnswers: [resolver])
        _ = try await effects(at: Self.switched + 200, dns: ScriptedDNS([shorter]), journal: journal).perform(.drainCheck, token: nil)
        #expect(try await oldAnswers(journal).map(\.0) == [Self.authoritative])
        // Its end lies past the first one's: journaled.
        _ = try await effects(at: Self.switched + 172_900, dns: ScriptedDNS([shorter]), journal: journal).perform(.drainCheck, token: nil)
        #expect(try await oldAnswers(journal).map(\.0) == [Self.authoritative, resolver])
        let state = CutoverState(records: try await journal.records())
        #expect(state.oldDNSCachedUntil == Self.switched + 172_950 && state.lastOldDNSAnswer?.at == Self.switched + 172_900)
    }

    @Test("a server that does not answer holds the drain; without a DNS watch the drain ends as before, asking nothing")
    func unansweredRoundsHoldAndNoWatchAsksNothing() async throws {
        let journal = try await switchedJournal()
        let after = Self.switched + 90_000
        let silent = DrainDNSRound(done: false, summary: "1 of 2 answers lead to the new server (1 answered); waiting for resolver 192.0.2.1 "
                                   + "for mail.example.com: timed out", oldAnswers: [])
        let held = try await effects(at: after, dns: ScriptedDNS([silent]), journal: journal).perform(.drainCheck, token: nil)
        #expect(held == .notYet(detail: "DNS: \(silent.summary)", retryAfter: .seconds(60)))
        #expect(try await oldAnswers(journal).isEmpty)

        let none = try await effects(at: after, dns: nil, journal: journal).perform(.drainCheck, token: nil)
        guard case .done(let result) = none else { Issue.record("\(none)"); return }
        #expect(!result.detail.contains("DNS"))
        let watched = ScriptedDNS([Self.allNew])
        let passed = try await effects(at: after, dns: watched, journal: journal).perform(.drainCheck, token: nil)
        guard case .done(let passedResult) = passed else { Issue.record("\(passed)"); return }
        #expect(passedResult.detail.hasSuffix("; DNS: all 2 answers lead to the new server; no old answer seen since the switch"))
        #expect(watched.asked.withLock { $0 } == 1)
    }
}
