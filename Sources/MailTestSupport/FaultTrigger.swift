/// Decides, read by read, where a ``FaultPlan/Cut`` falls in a byte stream: how many bytes
/// of a chunk to forward, and whether to cut right after them. Pure, so tests can feed it a
/// byte at a time; the proxy keeps one per connection.
struct FaultTrigger {
    let cut: FaultPlan.Cut?
    /// The tail of the watched stream that could still begin the pattern.
    private var window: [UInt8] = []
    /// Bytes still to forward before the cut, once known.
    private var remaining: Int?

    init(_ cut: FaultPlan.Cut?) {
        self.cut = cut
        switch cut {
        case .afterBytes(let count, _): remaining = count
        case .afterPattern(let pattern, _, let extra): remaining = pattern.isEmpty ? extra : nil
        case nil: remaining = nil
        }
    }

    /// For `chunk` read in `direction`: forward its first `forward` bytes, then cut if `cut`.
    mutating func admit(_ chunk: ArraySlice<UInt8>, _ direction: FaultPlan.Direction) -> (forward: Int, cut: Bool) {
        guard let rule = cut, rule.direction == direction else { return (chunk.count, false) }
        if let left = remaining { return take(chunk.count, left) }
        guard case .afterPattern(let pattern, _, let extra) = rule else { return (chunk.count, false) }
        let joined = window + chunk
        if let end = Self.endOfFirstMatch(of: pattern, in: joined) {
            // The pattern ends inside this chunk (the window alone is shorter than it).
            let endInChunk = end - window.count
            window = []
            let after = take(chunk.count - endInChunk, extra)
            return (endInChunk + after.forward, after.cut)
        }
        window = Array(joined.suffix(pattern.count - 1))
        return (chunk.count, false)
    }

    /// Forward up to `left` of `available` bytes; cut when `left` is reached.
    private mutating func take(_ available: Int, _ left: Int) -> (forward: Int, cut: Bool) {
        if available < left {
            remaining = left - available
            return (available, false)
        }
        remaining = 0
        return (left, true)
    }

    /// The index just past the first occurrence of `pattern` in `bytes`, if any.
    static func endOfFirstMatch(of pattern: [UInt8], in bytes: [UInt8]) -> Int? {
        guard !pattern.isEmpty, bytes.count >= pattern.count else { return pattern.isEmpty ? 0 : nil }
        for start in 0...(bytes.count - pattern.count) where bytes[start] == pattern[0] {
            if bytes[start..<(start + pattern.count)].elementsEqual(pattern) { return start + pattern.count }
        }
        return nil
    }
}
