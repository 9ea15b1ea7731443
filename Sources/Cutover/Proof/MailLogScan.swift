/// Everything the proof takes from one log: the lines that matter, parsed, and how far the
/// log can be trusted.
public struct MailLogScan: Sendable {
    /// How the report names this log (`old postfix`, a path).
    public var name: String
    public var records: [MailLogRecord]
    public var lines: Int
    /// Lines that are not log lines of a known shape (no timestamp, a Postfix delivery line
    /// without its fields, longer than the limit). Counted, shown, never fatal.
    public var malformed: Int
    /// The first few malformed lines (line number and up to 200 characters), for the report.
    public var malformedSamples: [String]
    public var gaps: [LogGap]
    public var first: LogInstant?
    public var last: LogInstant?

    public init(name: String, records: [MailLogRecord] = [], lines: Int = 0, malformed: Int = 0,
                malformedSamples: [String] = [], gaps: [LogGap] = [], first: LogInstant? = nil, last: LogInstant? = nil) {
        self.name = name
        self.records = records
        self.lines = lines
        self.malformed = malformed
        self.malformedSamples = malformedSamples
        self.gaps = gaps
        self.first = first
        self.last = last
    }

    /// Scans a whole text at once (tests, the CLI reading a local file).
    public static func scan(name: String, bytes: some Collection<UInt8>, clock: LogClock) -> MailLogScan {
        var scanner = MailLogScanner(name: name, clock: clock)
        scanner.feed(bytes)
        return scanner.finish()
    }

    public static func scan(name: String, lines: [String], clock: LogClock) -> MailLogScan {
        var scanner = MailLogScanner(name: name, clock: clock)
        for line in lines { scanner.feed(Array(line.utf8) + [UInt8(ascii: "\n")]) }
        return scanner.finish()
    }
}
