/// Where a small message lives: a record in a segment file.
struct SegmentLocation: Hashable, Sendable {
    /// The segment's name (a `QueueID`, so always a safe file name).
    var segment: QueueID
    /// Offset of the record's header in the segment.
    var offset: Int
    /// Length of the record, header included.
    var length: Int

    init(segment: QueueID, offset: Int, length: Int) {
        self.segment = segment
        self.offset = offset
        self.length = length
    }
}
