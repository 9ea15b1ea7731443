import Foundation

/// A durable queue of messages on disk, independent of any transport.
///
/// ```
/// <root>/tmp/<id>.msg        being written; never acknowledged; deleted by recovery
/// <root>/queue/<id>.msg      committed large message: envelope + body + END trailer (immutable)
/// <root>/queue/<id>.status   append-only journal of delivery attempts (JSON lines)
/// <root>/segments/<s>.log    committed small messages: records appended with group commit
/// <root>/segments/<s>.done   the records of that segment that are finished
/// <root>/hold/               entries an operator put on hold (same files)
/// <root>/corrupt/            quarantined entries, with a .reason file
/// <root>/finished.jsonl      one line per entry whose recipients are all final
/// <root>/reserve             zeros: room to record outcomes on a full disk (`SpoolReserve`)
/// ```
/// Messages up to `segmentThreshold` octets share fdatasyncs in a segment (`SegmentLog`)
/// and need no file of their own: a queued small message is a record of a segment not
/// listed in its `.done` file, until it is deferred or held (`moveOutOfSegment`). Larger
/// ones stream into a file of their own (`SpoolWriter`).
/// Every method blocks on the file system; call them off the event loops.
public struct MailSpool: Sendable {
    public enum Area: String, Sendable, CaseIterable {
        case temporary = "tmp"
        case queue
        case hold
        case corrupt
    }

    /// The spool's root directory.
    public let root: String
    /// Shares the queue directory's fsyncs between the sessions committing at the same time.
    let queueSync: DirectorySyncGroup
    /// Appends small messages to segments, sharing fdatasyncs between sessions.
    let segments: SegmentLog
    /// Appends `finished.jsonl`, `.status` and `.done` lines, using the reserve on a full disk.
    let journal: SpoolJournal

    /// Open (and create if needed) a spool at `directory`. The owner (`recover`) keeps
    /// `reserveSize` octets in `<spool>/reserve` for recording outcomes on a full disk.
    public init(directory: String, reserveSize: Int = 1 << 20) throws {
        try self.init(directory: directory, segmentCapacity: 8 << 20, reserveSize: reserveSize)
    }

    /// `segmentCapacity` and `syncFile` (the fdatasync of a segment) are for tests.
    init(directory: String, segmentCapacity: Int, reserveSize: Int = 1 << 20,
         syncFile: @escaping @Sendable (Int32, String) throws -> Void = { try SpoolFile.dataSync($0, path: $1) }) throws {
        root = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        try SpoolFile.makeDirectory(root)
        var created = false
        for name in Area.allCases.map(\.rawValue) + ["segments"] {
            created = try SpoolFile.makeDirectory("\(root)/\(name)") || created
        }
        // Records are acknowledged once their segment and its directory entry are synced; the
        // directories themselves must outlive a power failure too.
        if created { try SpoolFile.syncDirectory(root) }
        queueSync = DirectorySyncGroup(directory: "\(root)/\(Area.queue.rawValue)")
        journal = SpoolJournal(reserve: SpoolReserve(path: "\(root)/reserve", size: reserveSize))
        segments = SegmentLog(directory: "\(root)/segments", capacity: segmentCapacity, ledger: SegmentLedger(), journal: journal,
                              syncFile: syncFile)
    }

    func directory(_ area: Area) -> String { "\(root)/\(area.rawValue)" }

    func path(_ area: Area, _ id: QueueID, _ suffix: String) -> String { "\(root)/\(area.rawValue)/\(id.rawValue).\(suffix)" }

    var finishedLogPath: String { "\(root)/finished.jsonl" }

    /// Start writing a new message.
    public func makeWriter(_ envelope: SpoolEnvelope) throws -> SpoolWriter {
        try SpoolWriter(envelope: envelope, spool: self)
    }

    /// The entry with its verified body.
    public func message(_ id: QueueID) throws -> (entry: SpoolEntry, body: ArraySlice<UInt8>) {
        try message(id, at: try find(id))
    }

    /// The entry with its body as `message(_:)` reads it, taken from `committed` (the bytes
    /// its session made durable) while it is still the segment record they became: nothing
    /// read back, parsed or hashed again. Once it has moved (held, or given a file of its
    /// own after a failed attempt) or when `committed` has no bytes, it is read from disk.
    public func message(_ id: QueueID, committed: CommittedMessage) throws -> (entry: SpoolEntry, body: ArraySlice<UInt8>) {
        let place = try find(id)
        guard let contents = committed.contents, committed.id == id, contents.envelope.id == id, place.area == .queue,
              place.record != nil
        else { return try message(id, at: place) }
        return (try entry(id, contents.envelope, body: contents.body[...], area: place.area), contents.body[...])
    }

    func message(_ id: QueueID, at place: Place) throws -> (entry: SpoolEntry, body: ArraySlice<UInt8>) {
        let bytes = try place.record.map(segments.read) ?? SpoolFile.readAll(path(place.area, id, "msg"))
        let (envelope, body) = try SpoolFormat.parse(bytes)
        guard envelope.id == id else { throw SpoolError(.corrupt, "queue file \(id) holds another ID") }
        return (try entry(id, envelope, body: body, area: place.area), body)
    }

    /// The entry of a stored envelope and body: every recipient pending, then the status
    /// journal applied.
    private func entry(_ id: QueueID, _ envelope: SpoolEnvelope, body: ArraySlice<UInt8>, area: Area) throws -> SpoolEntry {
        var entry = SpoolEntry(envelope: envelope, bodyLength: body.count, contains8Bit: body.contains { $0 >= 0x80 },
                               states: Array(repeating: .pending, count: envelope.recipients.count),
                               attempts: 0, nextAttemptAt: nil, held: area == .hold)
        entry.lastReplies = Array(repeating: "", count: envelope.recipients.count)
        for record in try statusRecords(id, area: area) { entry.apply(record) }
        return entry
    }

    /// The entry without keeping its body.
    public func entry(_ id: QueueID) throws -> SpoolEntry {
        try message(id).entry
    }

    /// Where an entry is: its area, and its segment record unless it has a file of its own.
    typealias Place = (area: Area, record: SegmentLocation?)

    func area(of id: QueueID) throws -> Area {
        try find(id).area
    }

    /// Find an entry: a file of its own in `queue/` or `hold/`, or a queued record in
    /// `records` (default: the known segments, then the others on disk).
    func find(_ id: QueueID, records: [QueueID: SegmentLocation]? = nil) throws -> Place {
        for area in [Area.queue, .hold] where SpoolFile.exists(path(area, id, "msg")) { return (area, nil) }
        if let records {
            if let record = records[id] { return (.queue, record) }
        } else if let record = try segments.ledger.location(of: id) ?? unknownSegmentRecords()[id] {
            return (.queue, record)
        }
        throw SpoolError(.notFound, "no queue entry \(id)")
    }

    /// IDs of the entries in an area, oldest first.
    public func ids(in area: Area) throws -> [QueueID] {
        try ids(in: area, records: area == .queue ? try segmentRecords() : [:])
    }

    func ids(in area: Area, records: [QueueID: SegmentLocation]) throws -> [QueueID] {
        var found = Set(try SpoolFile.list(directory(area)).compactMap { name in
            name.hasSuffix(".msg") ? QueueID(String(name.dropLast(4))) : nil
        })
        if area == .queue { found.formUnion(records.keys) }
        return found.sorted()
    }

    /// Every queued and held entry, oldest first. Unreadable ones are skipped (recovery
    /// quarantines them).
    public func entries() throws -> [SpoolEntry] {
        let records = try segmentRecords()
        var result: [SpoolEntry] = []
        for area in [Area.queue, .hold] {
            for id in try ids(in: area, records: records) {
                if let entry = try? message(id, at: find(id, records: records)).entry { result.append(entry) }
            }
        }
        return result.sorted { $0.id < $1.id }
    }
}
