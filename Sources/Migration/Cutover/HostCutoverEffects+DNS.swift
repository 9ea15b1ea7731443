import Foundation
import MailferryConfig

extension HostCutoverEffects {
    /// The drain's DNS criterion, one round per check: the round must be done (every
    /// authoritative server and resolver answers an address, none of them old, as `dns
    /// watch` ends), and a cache that fetched the last old answer seen may serve it for its
    /// TTL, so the drain also waits until that answer's time plus its TTL plus the margin.
    /// An old answer is journaled as soon as it is seen when it moves that time later: a
    /// resumed drain counts from it, not from its own start. Nil without a DNS watch.
    func dnsDrainCheck(state: CutoverState) async throws -> (waiting: String?, detail: String)? {
        guard let dns else { return nil }
        let round = await dns.round()
        let at = now()
        var cachedUntil = state.oldDNSCachedUntil
        var last = state.lastOldDNSAnswer
        if let old = round.oldAnswers.max(by: { $0.ttl < $1.ttl }), at + Double(old.ttl) > cachedUntil ?? -Double.infinity {
            try await journal.append(step: .drainCheck, event: .oldDNSAnswer(old), at: at)
            cachedUntil = at + Double(old.ttl)
            last = (old, at)
        }
        let lastText = last.map { "last old answer: \($0.answer) at \(Self.utc($0.at))" } ?? "no old answer seen since the switch"
        guard round.done else { return ("DNS: \(round.summary)", "") }
        let margin = Double(config.margin.components.seconds)
        if let cachedUntil, at < cachedUntil + margin {
            return ("DNS: \(lastText); caches may serve it until \(Self.utc(cachedUntil)), + margin ends in \(Int(cachedUntil + margin - at)) s",
                    "")
        }
        return (nil, "DNS: \(round.summary); \(lastText)")
    }

    /// ISO 8601 in UTC, to the second.
    static func utc(_ seconds: Double) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: seconds.rounded(.down)))
    }
}
