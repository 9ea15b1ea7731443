/// Where one test message of a ``RelayTest`` is, from the two Postfix logs (sans-IO: the
/// caller reads the logs into ``PostfixQueueIndex``es).
public enum RelayTestEvidence: Hashable, Sendable {
    /// Not decided yet: the detail says how far it got.
    case pending(String)
    /// The sending host's smtp(8) had a 250 from the peer and the peer queued it from the network.
    case delivered(String)
    /// The sending host deferred, bounced or delivered it itself, or the peer refused it.
    case failed(String)

    public var isFinal: Bool {
        if case .pending = self { return false }
        return true
    }

    /// The verdict for `sample` from the logs of the host that sent it and of its peer.
    public static func of(_ sample: RelayTest.Sample, sending: PostfixQueueIndex, sendingName: String,
                          receiving: PostfixQueueIndex, receivingName: String) -> RelayTestEvidence {
        // The old -> new message may come back to the old host (the new one relays the
        // domains there in the mirror phase): the sending side's copy is the one submitted locally.
        guard let sent = sending.messages.last(where: { $0.messageID == sample.messageID && $0.origin?.hasPrefix("local submission") == true }) else {
            return .pending("not yet in the \(sendingName) log")
        }
        let name = "\(sendingName) \(sent.queueID)"
        guard let attempt = sent.deliveries.last?.delivery else {
            return .pending("queued on the \(sendingName) host as \(sent.queueID), not tried yet")
        }
        guard attempt.status == "sent" else {
            return .failed("\(name): status=\(attempt.status) relay=\(attempt.relay) (\(attempt.detail))")
        }
        guard attempt.relay.contains("[") else {
            return .failed("\(name) was delivered on the \(sendingName) host itself (relay=\(attempt.relay), \(attempt.detail)), "
                + "not relayed to the \(receivingName) host")
        }
        let peer = receiving.messages.last { $0.messageID == sample.messageID && $0.origin?.hasPrefix("client") == true }
        if let peer, let refused = peer.rejected {
            return .failed("\(name) went to \(attempt.relay), whose log shows \(peer.queueID) refused: \(refused)")
        }
        guard let peer, peer.accepted else {
            return .pending("\(name) sent to \(attempt.relay) (\(attempt.detail)); not yet accepted in the \(receivingName) log")
        }
        return .delivered("\(name) -> \(attempt.relay) -> \(receivingName) \(peer.queueID) from \(peer.origin ?? "the network")")
    }
}
