import MailModel

/// A set of UIDs as sorted, non-overlapping, non-adjacent ranges: the value of
/// `sequence-set` / `uid-set` (RFC 3501 §9, RFC 4315).
///
/// On the wire `*` stands for "the largest UID in use"; here it is `UInt32.max`
/// (``UIDSet/all`` is `1:*`), as no real mailbox reaches that UID.
public struct UIDSet: Hashable, Sendable, CustomStringConvertible {
    /// The ranges, sorted, merged and never empty individually.
    public private(set) var ranges: [ClosedRange<UInt32>]

    /// The empty set (never valid on the wire; commands refuse it).
    public init() { ranges = [] }

    public init<S: Sequence>(_ uids: S) where S.Element == UID {
        self.init()
        for uid in uids.sorted() { insert(uid.rawValue...uid.rawValue) }
    }

    public init(ranges: [ClosedRange<UInt32>]) {
        self.init()
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) { insert(range) }
    }

    public init(_ range: ClosedRange<UID>) {
        self.init(ranges: [range.lowerBound.rawValue...range.upperBound.rawValue])
    }

    /// `1:*`: every message.
    public static let all = UIDSet(ranges: [1...UInt32.max])

    public var isEmpty: Bool { ranges.isEmpty }

    /// How many UIDs the set names (`*` counts as `UInt32.max`).
    public var count: Int { ranges.reduce(0) { $0 + Int($1.upperBound - $1.lowerBound) + 1 } }

    public func contains(_ uid: UID) -> Bool {
        var low = 0
        var high = ranges.count - 1
        while low <= high {
            let mid = (low + high) / 2
            if ranges[mid].contains(uid.rawValue) { return true }
            if uid.rawValue < ranges[mid].lowerBound { high = mid - 1 } else { low = mid + 1 }
        }
        return false
    }

    /// The UIDs in ascending order. Only for sets without `*`.
    public var uids: [UID] {
        ranges.flatMap { range in range.map { UID(exactly: $0) } }
    }

    /// Adds a range, merging it with overlapping or adjacent ones.
    public mutating func insert(_ range: ClosedRange<UInt32>) {
        precondition(range.lowerBound != 0, "UID 0 is not a valid UID")
        // Fast paths for ascending input (how sets are built and sent): O(1).
        if let last = ranges.last, range.lowerBound >= last.lowerBound {
            if last.upperBound == UInt32.max || range.lowerBound <= last.upperBound + 1 {
                ranges[ranges.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                ranges.append(range)
            }
            return
        }
        if ranges.isEmpty {
            ranges.append(range)
            return
        }
        var merged = range
        var result: [ClosedRange<UInt32>] = []
        result.reserveCapacity(ranges.count + 1)
        var inserted = false
        for existing in ranges {
            if existing.upperBound < merged.lowerBound && merged.lowerBound - existing.upperBound > 1 {
                result.append(existing)
            } else if merged.upperBound < existing.lowerBound && existing.lowerBound - merged.upperBound > 1 {
                if !inserted { result.append(merged); inserted = true }
                result.append(existing)
            } else {
                merged = min(merged.lowerBound, existing.lowerBound)...max(merged.upperBound, existing.upperBound)
            }
        }
        if !inserted { result.append(merged) }
        ranges = result
    }

    /// The UIDs of this set that are not in `other`, computed on ranges (never materialised).
    public func subtracting(_ other: UIDSet) -> UIDSet {
        var result = UIDSet()
        for range in ranges {
            var low = range.lowerBound
            var exhausted = false
            for cut in other.ranges where cut.upperBound >= low && cut.lowerBound <= range.upperBound {
                if cut.lowerBound > low { result.ranges.append(low...(cut.lowerBound - 1)) }
                if cut.upperBound >= range.upperBound {
                    exhausted = true
                    break
                }
                low = cut.upperBound + 1
            }
            if !exhausted { result.ranges.append(low...range.upperBound) }
        }
        return result
    }

    /// Splits the set into sets whose wire form is at most `maximumLength` bytes, in order.
    public func split(maximumEncodedLength: Int) -> [UIDSet] {
        var result: [UIDSet] = []
        var current = UIDSet()
        var length = 0
        for range in ranges {
            let piece = UIDSet.encode(range)
            let added = piece.utf8.count + (current.isEmpty ? 0 : 1)
            if !current.isEmpty && length + added > maximumEncodedLength {
                result.append(current)
                current = UIDSet()
                length = 0
            }
            length += piece.utf8.count + (current.isEmpty ? 0 : 1)
            current.ranges.append(range)
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    /// Splits the set into sets of at most `maximumCount` UIDs each, in order.
    public func split(maximumCount: Int) -> [UIDSet] {
        precondition(maximumCount > 0)
        var result: [UIDSet] = []
        var current = UIDSet()
        var count = 0
        for range in ranges {
            var low = range.lowerBound
            while true {
                let room = UInt32(clamping: maximumCount - count)
                let high = range.upperBound - low < room ? range.upperBound : low + room - 1
                current.ranges.append(low...high)
                count += Int(high - low) + 1
                if count == maximumCount { result.append(current); current = UIDSet(); count = 0 }
                if high == range.upperBound { break }
                low = high + 1
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    /// The wire form, e.g. `1:5,7,9:*`.
    public var description: String { ranges.map(UIDSet.encode).joined(separator: ",") }

    static func encode(_ range: ClosedRange<UInt32>) -> String {
        func value(_ number: UInt32) -> String { number == UInt32.max ? "*" : String(number) }
        return range.lowerBound == range.upperBound
            ? value(range.lowerBound) : "\(value(range.lowerBound)):\(value(range.upperBound))"
    }
}
