/// Where a small message lives: a record in a segment file. Stored as the entry's `.ref`
/// file in `queue/` or `hold/` (`<segment> <offset> <length>` LF), which says which area the
/// entry is in and lets readers find the record without scanning.
struct SegmentLocation: Hashable, Sendable {
    /// The segment's name (a `QueueID`, so always a safe file name).
    var segment: QueueID
    /// Offset of the record's header in the segment.
    var offset: Int
    /// Length of the record, header included.
    var length: Int

    var text: [UInt8] { Array("\(segment) \(offset) \(length)\n".utf8) }

    init(segment: QueueID, offset: Int, length: Int) {
        self.segment = segment
        self.offset = offset
        self.length = length
    }

    /// Parse a `.ref` file; nil if it is not exactly one well-formed line.
    init?(text bytes: [UInt8]) {
        guard bytes.last == 10 else { return nil }
        let fields = String(decoding: bytes.dropLast(), as: UTF8.self).split(separator: " ", omittingEmptySubsequences: false)
        guard fields.count == 3, let segment = QueueID(String(fields[0])), let offset = Int(fields[1]), let length = Int(fields[2]),
              offset >= 0, length > SegmentRecord.headerLength
        else { return nil }
        self.init(segment: segment, offset: offset, length: length)
    }
}
