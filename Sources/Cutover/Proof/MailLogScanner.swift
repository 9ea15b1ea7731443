/// Feeds a log's bytes, in chunks of any size, through the line splitter and the line parser,
/// and keeps what the proof needs: the records of interest, the malformed count, and the
/// gaps (the logging system's own "dropped N lines" lines, time running backwards further
/// than `maxBackwardJump`, and whatever the reader reports, such as a missing rotation).
public struct MailLogScanner: Sendable {
    public let name: String
    public let maxBackwardJumpSeconds: Int64
    private var splitter: LogLineSplitter
    private let parser: MailLogLineParser
    private var scan: MailLogScan
    private var countedOverlong = 0
    private var previous: LogInstant?
    /// Dovecot's `Login:` lines are kept only for a reader that asks (the drain's watch on
    /// logins through the forwarder): a busy server writes thousands a day, and the proof
    /// needs none of them.
    public var keepsLogins = false

    static let maxSamples = 20

    /// `maxBackwardJumpSeconds`: lines of concurrent processes can reach the log slightly
    /// out of order; a jump back further than this is a clock step or a spliced file.
    public init(name: String, clock: LogClock, maxBackwardJumpSeconds: Int64 = 10, maxLineLength: Int = 16_384) {
        self.name = name
        self.maxBackwardJumpSeconds = maxBackwardJumpSeconds
        splitter = LogLineSplitter(maxLineLength: maxLineLength)
        parser = MailLogLineParser(clock: clock)
        scan = MailLogScan(name: name)
    }

    public mutating func feed(_ bytes: some Collection<UInt8>) {
        var splitter = self.splitter
        splitter.feed(bytes) { self.take($0) }
        self.splitter = splitter
        countOverlong()
    }

    /// Records a gap the caller found (the reader saw a rotation it could not follow).
    public mutating func noteGap(_ reason: String) {
        scan.gaps.append(LogGap(log: name, line: scan.lines, time: scan.last, reason: reason))
    }

    /// The records and gaps found since the last call, handed over and forgotten: a reader
    /// that follows a log for days (the drain) keeps only its own summary, never every line.
    /// A partial last line stays in the splitter until the rest of it is fed.
    public mutating func takeNew() -> (records: [MailLogRecord], gaps: [LogGap]) {
        defer {
            scan.records.removeAll()
            scan.gaps.removeAll()
        }
        return (scan.records, scan.gaps)
    }

    public mutating func finish() -> MailLogScan {
        var splitter = self.splitter
        splitter.finish { self.take($0) }
        self.splitter = splitter
        countOverlong()
        return scan
    }

    private mutating func countOverlong() {
        while countedOverlong < splitter.overlongLines {
            countedOverlong += 1
            scan.lines += 1
            malformed("line longer than \(splitter.maxLineLength) bytes")
        }
    }

    private mutating func malformed(_ text: String) {
        scan.malformed += 1
        if scan.malformedSamples.count < Self.maxSamples { scan.malformedSamples.append("line \(scan.lines): \(text)") }
    }

    private mutating func take(_ line: ArraySlice<UInt8>) {
        scan.lines += 1
        guard !line.isEmpty else { return }
        guard let record = parser.parse(line, line: scan.lines) else {
            malformed(String(decoding: line.prefix(200), as: UTF8.self))
            return
        }
        if let previous, record.time.microseconds < previous.microseconds - maxBackwardJumpSeconds * 1_000_000 {
            scan.gaps.append(LogGap(log: name, line: scan.lines, time: record.time,
                                    reason: "time goes back from \(previous) to \(record.time): a clock step or files spliced out of order"))
        }
        previous = record.time
        if scan.first == nil { scan.first = record.time }
        scan.last = max(scan.last ?? record.time, record.time)
        switch record.event {
        case .suppressed(let text):
            scan.gaps.append(LogGap(log: name, line: scan.lines, time: record.time, reason: "the logging system dropped lines: \(text)"))
        case .other:
            break
        case .login where !keepsLogins:
            break
        default:
            scan.records.append(record)
        }
    }
}
