/// What a segment file holds, read from disk: its unfinished records by entry, the records
/// listed as finished, and the stretches that hold no valid record.
struct SegmentContents {
    let segment: QueueID
    let bytes: [UInt8]
    /// Valid records not listed in the segment's `.done` file.
    var records: [QueueID: SegmentLocation] = [:]
    /// IDs listed in `.done`.
    var finished: Set<QueueID>
    /// Torn or damaged stretches (see `SegmentRecord.scan`).
    var damaged: [Range<Int>]
    /// Records whose digest matched but whose queue file does not parse.
    var unreadable: [Range<Int>] = []

    init(_ segment: QueueID, log: SegmentLog) throws {
        self.segment = segment
        bytes = try SpoolFile.readAll(log.logPath(segment))
        finished = try log.doneIDs(segment)
        let scan = SegmentRecord.scan(bytes)
        damaged = scan.damaged
        for record in scan.records {
            let payload = Array(bytes[(record.offset + SegmentRecord.headerLength)..<(record.offset + record.length)])
            guard let (envelope, _) = try? SpoolFormat.parse(payload) else {
                unreadable.append(record.offset..<(record.offset + record.length))
                continue
            }
            guard !finished.contains(envelope.id) else { continue }
            records[envelope.id] = SegmentLocation(segment: segment, offset: record.offset, length: record.length)
        }
    }

    /// A damaged stretch that runs to the end of the file: a torn tail.
    func isTail(_ range: Range<Int>) -> Bool { range.upperBound == bytes.count }
}
