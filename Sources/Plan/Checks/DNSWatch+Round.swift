import DNSCodec
import Foundation

extension DNSWatch {
    /// What one server answered for one host's A and AAAA records.
    public struct View: Sendable, Equatable, Encodable {
        /// `authoritative 192.0.2.53` or `resolver 192.0.2.53`.
        public var server: String
        public var host: String
        public var addresses: [IPAddress]
        /// The longest TTL of the answer: the zone's for an authoritative server, what is
        /// left of the cached copy for a resolver.
        public var ttl: UInt32
        public var leadsToOld: Bool
        public var error: String?
    }

    /// One round of questions.
    public struct Round: Sendable, Equatable, Encodable {
        public var views: [View]
        /// The MX hosts the servers named this round (each server's own MX answer), whose
        /// addresses the views hold.
        public var hosts: [String] = []
        /// Every server answered with an address, and none with an old one.
        public var done: Bool { !views.isEmpty && waiting.isEmpty }
        /// The answers still missing: an old address, no address (a name in flux), or no answer.
        public var waiting: [View] { views.filter { $0.leadsToOld || $0.error != nil || $0.addresses.isEmpty } }

        public init(views: [View], hosts: [String] = []) {
            self.views = views
            self.hosts = hosts
        }

        /// One line for the terminal.
        public var summary: String {
            let answered = views.filter { $0.error == nil }.count
            guard !done else { return "all \(views.count) answers lead to the new server" }
            let detail = waiting.prefix(4).map { view in
                view.error.map { "\(view.server) for \(view.host): \($0)" }
                    ?? (view.addresses.isEmpty ? "\(view.server) has no address for \(view.host)"
                        : "\(view.server) still answers \(view.host) \(view.addresses.map(\.description).joined(separator: " ")) (TTL \(view.ttl) s)")
            }
            return "\(views.count - waiting.count) of \(views.count) answers lead to the new server (\(answered) answered); waiting for "
                + detail.joined(separator: "; ") + (waiting.count > 4 ? "; and \(waiting.count - 4) more" : "")
        }

        private enum CodingKeys: String, CodingKey {
            case views, hosts, done, waiting
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(views, forKey: .views)
            try container.encode(hosts, forKey: .hosts)
            try container.encode(done, forKey: .done)
            try container.encode(waiting.count, forKey: .waiting)
        }
    }

    /// The end of a watch: the last round, how many ran, and the longest TTL an old answer
    /// carried, how long caches that fetched it may still serve it.
    public struct Outcome: Sendable, Equatable, Encodable {
        public var last: Round
        public var rounds: Int
        public var oldTTL: UInt32
        /// When the last old answer was seen (nil: none was), so `oldTTL` counts from there.
        public var lastOldSeen: Date?

        /// Until when a cache elsewhere may still serve an old answer: the last old answer
        /// seen plus its TTL; nil when no old answer was seen.
        public var oldCachedUntil: Date? { lastOldSeen.map { $0.addingTimeInterval(TimeInterval(oldTTL)) } }

        /// One line for the terminal: the round, and the countdown of the old answers.
        public var summary: String {
            let countdown = oldCachedUntil.map { " Old answers may stay cached until \(ISO8601DateFormatter().string(from: $0)) (TTL \(oldTTL) s)." } ?? ""
            return "round \(rounds): \(last.summary).\(countdown)"
        }

        private enum CodingKeys: String, CodingKey {
            case round, rounds, done, oldTTL, lastOldSeen, oldCachedUntil
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(last, forKey: .round)
            try container.encode(rounds, forKey: .rounds)
            try container.encode(last.done, forKey: .done)
            try container.encode(oldTTL, forKey: .oldTTL)
            try container.encodeIfPresent(lastOldSeen, forKey: .lastOldSeen)
            try container.encodeIfPresent(oldCachedUntil, forKey: .oldCachedUntil)
        }
    }
}
