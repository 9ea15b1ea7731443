import Foundation

/// The drain's view of the old Postfix's log: when mail for the moved domains last arrived
/// from the network (a sender whose DNS still names the old host), from the records the
/// proof's parser makes. A message counts when smtpd opened it (`QID: client=`) from a
/// client that is not this host or the new server, and one of its recipients is in the
/// domains; a refused recipient in the domains (`NOQUEUE: reject: RCPT`) counts too, since
/// its sender will try again. Connections that send nothing for the domains (scanners, other
/// domains' mail) do not keep the old host alive. A gap in the log counts as inbound at its
/// time: what fell into it is unknown.
public struct InboundTracker: Sendable {
    /// The last inbound for the domains: when, and from which client (`name[address]`, or
    /// the gap's reason).
    public struct Inbound: Hashable, Sendable, CustomStringConvertible {
        public var time: LogInstant
        public var client: String

        public init(time: LogInstant, client: String) {
            self.time = time
            self.client = client
        }

        public var description: String { "\(time) from \(client)" }
    }

    public let domains: Set<String>
    public let since: LogInstant
    public let ignoredAddresses: Set<String>
    public private(set) var last: Inbound?
    /// Messages opened from the network whose recipients are not known yet, by queue id.
    private var open: [String: Inbound] = [:]
    /// Bound on `open`: smtpd's client= and the delivery of the same message are seconds
    /// apart, so dropping the oldest half when it is full loses nothing of the drain's.
    static let maxOpen = 50_000

    /// `ignoredAddresses`: client addresses that are not senders (the new server's); the
    /// loopback addresses are always ignored (content filters re-inject there).
    public init(domains: some Sequence<String>, since: LogInstant, ignoredAddresses: some Sequence<String> = []) {
        self.domains = Set(domains.map { $0.lowercased() })
        self.since = since
        self.ignoredAddresses = Set(ignoredAddresses.map { $0.lowercased() })
    }

    public mutating func take(_ records: some Sequence<MailLogRecord>) {
        for record in records where record.time >= since {
            switch record.event {
            case .client(let queueID, let client) where record.daemon == "smtpd" && !isIgnored(client):
                if open.count >= Self.maxOpen {
                    let oldest = open.values.map(\.time).sorted()[open.count / 2]
                    open = open.filter { $0.value.time > oldest }
                }
                open[queueID] = Inbound(time: record.time, client: client)
            case .delivery(let queueID, let delivery):
                guard let opened = open[queueID], isForTheDomains(delivery.originalRecipient ?? delivery.recipient)
                    || isForTheDomains(delivery.recipient) else { continue }
                note(opened)
            case .removed(let queueID, _):
                open[queueID] = nil
            case .reject(nil, "RCPT", let recipient?, let text) where record.daemon == "smtpd" && isForTheDomains(recipient):
                let client = Self.client(inRejectText: text)
                if !isIgnored(client) { note(Inbound(time: record.time, client: client)) }
            default:
                continue
            }
        }
    }

    /// A stretch of the log that cannot be trusted counts as inbound at its time, or at `now`
    /// when it has none (a log missing before any line was read: no evidence is no quiet).
    public mutating func take(gaps: some Sequence<LogGap>, now: LogInstant? = nil) {
        for gap in gaps {
            guard let time = gap.time ?? now, time >= since else { continue }
            note(Inbound(time: time, client: "a gap in the log: \(gap.reason)"))
        }
    }

    private mutating func note(_ inbound: Inbound) {
        if last.map({ $0.time < inbound.time }) ?? true { last = inbound }
    }

    private func isForTheDomains(_ address: String) -> Bool {
        guard let at = address.lastIndex(of: "@") else { return false }
        return domains.contains(address[address.index(after: at)...].lowercased())
    }

    /// `name[address]` (`address` may carry a port: `[192.0.2.1]:25`): ignored when the
    /// address is loopback or listed.
    func isIgnored(_ client: String) -> Bool {
        guard let open = client.firstIndex(of: "["), let close = client[open...].firstIndex(of: "]") else { return false }
        let address = client[client.index(after: open)..<close].lowercased()
        let bare = address.hasPrefix("ipv6:") ? String(address.dropFirst(5)) : address
        if bare.hasPrefix("127.") || bare == "::1" || bare == "::ffff:127.0.0.1" { return true }
        return ignoredAddresses.contains(bare)
    }

    /// `RCPT from name[address]: 554 ...` → `name[address]`.
    static func client(inRejectText text: String) -> String {
        guard let from = text.range(of: " from ") else { return "unknown" }
        let rest = text[from.upperBound...]
        return String(rest.prefix { $0 != ":" && $0 != " " })
    }
}
