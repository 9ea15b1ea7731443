import Foundation

/// A durable queue of messages on disk, independent of any transport.
///
/// ```
/// <root>/tmp/<id>.msg        being written; never acknowledged; deleted by recovery
/// <root>/queue/<id>.msg      committed large message: envelope + body + END trailer (immutable)
/// <root>/queue/<id>.ref      committed small message: where its record is in a segment
/// <root>/queue/<id>.status   append-only journal of delivery attempts (JSON lines)
/// <root>/hold/               entries an operator put on hold (same files)
/// <root>/corrupt/            quarantined entries, with a .reason file
/// <root>/segments/<s>.log    records of small messages, appended with group commit
/// <root>/segments/<s>.done   the records of that segment that are finished
/// <root>/finished.jsonl      one line per entry whose recipients are all final
/// ```
/// Messages up to `segmentThreshold` octets share fdatasyncs in a segment (`SegmentLog`);
/// larger ones stream into a file of their own (`SpoolWriter`).
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

    /// Open (and create if needed) a spool at `directory`.
    public init(directory: String) throws {
        try self.init(directory: directory, segmentCapacity: 8 << 20)
    }

    /// `segmentCapacity` and `syncFile` (the fdatasync of a segment) are for tests.
    init(directory: String, segmentCapacity: Int,
         syncFile: @escaping @Sendable (Int32, String) throws -> Void = { try SpoolFile.dataSync($0, path: $1) }) throws {
        root = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        try SpoolFile.makeDirectory(root)
        for area in Area.allCases { try SpoolFile.makeDirectory("\(root)/\(area.rawValue)") }
        queueSync = DirectorySyncGroup(directory: "\(root)/\(Area.queue.rawValue)")
        try SpoolFile.makeDirectory("\(root)/segments")
        segments = SegmentLog(directory: "\(root)/segments", capacity: segmentCapacity, ledger: SegmentLedger(), syncFile: syncFile)
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
        let (area, bytes) = try read(id)
        let (envelope, body) = try SpoolFormat.parse(bytes)
        guard envelope.id == id else { throw SpoolError(.corrupt, "queue file \(id) holds another ID") }
        var entry = SpoolEntry(envelope: envelope, bodyLength: body.count, contains8Bit: body.contains { $0 >= 0x80 },
                               states: Array(repeating: .pending, count: envelope.recipients.count),
                               attempts: 0, nextAttemptAt: nil, held: area == .hold)
        entry.lastReplies = Array(repeating: "", count: envelope.recipients.count)
        for record in try statusRecords(id, area: area) { entry.apply(record) }
        return (entry, body)
    }

    /// The entry without keeping its body.
    public func entry(_ id: QueueID) throws -> SpoolEntry {
        try message(id).entry
    }

    /// The entry's area and its complete queue file (from its own file or its segment record).
    func read(_ id: QueueID) throws -> (Area, [UInt8]) {
        for area in [Area.queue, .hold] {
            do {
                return (area, try SpoolFile.readAll(path(area, id, "msg")))
            } catch let error as SpoolError where error.kind == .notFound {}
            do {
                return (area, try segments.read(try location(area, id)))
            } catch let error as SpoolError where error.kind == .notFound {}
        }
        throw SpoolError(.notFound, "no queue entry \(id)")
    }

    /// The segment record of a small entry, from its `.ref` file.
    func location(_ area: Area, _ id: QueueID) throws -> SegmentLocation {
        guard let location = SegmentLocation(text: try SpoolFile.readAll(path(area, id, "ref"))) else {
            throw SpoolError(.corrupt, "unreadable segment reference for \(id)")
        }
        return location
    }

    func area(of id: QueueID) throws -> Area {
        try find(id).area
    }

    /// The entry's area and kind: `msg` (a file of its own) or `ref` (a segment record).
    func find(_ id: QueueID) throws -> (area: Area, suffix: String) {
        for area in [Area.queue, .hold] {
            for suffix in ["msg", "ref"] where SpoolFile.exists(path(area, id, suffix)) { return (area, suffix) }
        }
        throw SpoolError(.notFound, "no queue entry \(id)")
    }

    /// IDs of the entries in an area, oldest first.
    public func ids(in area: Area) throws -> [QueueID] {
        try SpoolFile.list(directory(area)).compactMap { name in
            name.hasSuffix(".msg") || name.hasSuffix(".ref") ? QueueID(String(name.dropLast(4))) : nil
        }
    }

    /// Every queued and held entry, oldest first. Unreadable ones are skipped (recovery
    /// quarantines them).
    public func entries() throws -> [SpoolEntry] {
        var result: [SpoolEntry] = []
        for area in [Area.queue, .hold] {
            for id in try ids(in: area) {
                if let entry = try? entry(id) { result.append(entry) }
            }
        }
        return result.sorted { $0.id < $1.id }
    }
}
