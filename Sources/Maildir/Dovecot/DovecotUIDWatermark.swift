import MailModel

/// The UIDs of a folder that another writer handed out: a live Dovecot numbers what it
/// delivers (a mirror copy by LMTP, say) from the next UID on. Such a UID may have been seen
/// by a client; given later to another message, that client would show the wrong mail for
/// it. So a UID in here is never given again under the same UIDVALIDITY.
///
/// Kept in the header of `dovecot-uidlist` as `M<next>[,<first>-<last>]...`: `<next>` is the
/// next UID as this writer last committed it, each range a span another writer handed out.
/// Dovecot keeps header fields it does not know when it rewrites the file (checked with
/// Dovecot 2.3.19), and its own fields are `V`, `N` and `G`. Whatever lies between `<next>`
/// and the file's next UID was handed out since this writer's last commit. Without the
/// field (a file no mailferry commit wrote), nothing is known to be handed out.
struct DovecotUIDWatermark: Hashable, Sendable {
    static let key: Character = "M"
    /// Ranges kept; beyond that the closest are merged (refusing more, never reusing).
    static let maximumRanges = 64

    /// Spans of UIDs handed out by another writer, ascending and disjoint.
    private(set) var handedOut: [ClosedRange<UInt32>]

    /// Nothing handed out (a new uid list, or a new UIDVALIDITY).
    init() {
        handedOut = []
    }

    /// Read from a uid list as it is on disk. A malformed field counts as absent.
    init(reading list: DovecotUIDList) {
        handedOut = []
        guard let field = list.otherHeaderFields.last(where: { $0.keyCharacter == Self.key }) else { return }
        let parts = field.value.split(separator: ",", omittingEmptySubsequences: false)
        guard let committed = parts.first.flatMap({ UInt32($0) }) else { return }
        var ranges: [ClosedRange<UInt32>] = []
        for part in parts.dropFirst() {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count == 2, let first = UInt32(bounds[0]), let last = UInt32(bounds[1]), first <= last else { return }
            ranges.append(first...last)
        }
        if list.nextUID.rawValue > committed { ranges.append(committed...(list.nextUID.rawValue - 1)) }
        handedOut = Self.normalized(ranges)
    }

    func contains(_ uid: UID) -> Bool {
        handedOut.contains { $0.contains(uid.rawValue) }
    }

    /// The header field to write with a uid list whose next UID is `nextUID`.
    func field(nextUID: UID) -> DovecotUIDList.Field {
        let spans = handedOut.map { ",\($0.lowerBound)-\($0.upperBound)" }.joined()
        return DovecotUIDList.Field(key: Self.key, value: "\(nextUID.rawValue)" + spans)
    }

    /// `list` with this watermark as its `M` field (replacing any other).
    func stamped(_ list: DovecotUIDList) -> DovecotUIDList {
        var stamped = list
        stamped.otherHeaderFields.removeAll { $0.keyCharacter == Self.key }
        stamped.otherHeaderFields.append(field(nextUID: list.nextUID))
        return stamped
    }

    static func normalized(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var merged: [ClosedRange<UInt32>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, UInt64(range.lowerBound) <= UInt64(last.upperBound) + 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        while merged.count > maximumRanges {
            // Merge the two neighbours with the smallest gap between them.
            var closest = 0
            for index in 1..<(merged.count - 1) where gap(merged, index) < gap(merged, closest) { closest = index }
            merged[closest] = merged[closest].lowerBound...merged[closest + 1].upperBound
            merged.remove(at: closest + 1)
        }
        return merged
    }

    private static func gap(_ ranges: [ClosedRange<UInt32>], _ index: Int) -> UInt32 {
        ranges[index + 1].lowerBound - ranges[index].upperBound
    }
}
