/// A place where a log cannot be trusted to hold every line: the logging system dropped
/// lines, time went backwards, a rotated file is missing. Any gap fails the proof, because
/// a message whose lines fell into it could be anywhere.
public struct LogGap: Hashable, Sendable, Codable {
    public var log: String
    public var line: Int?
    public var time: LogInstant?
    public var reason: String

    public init(log: String, line: Int?, time: LogInstant?, reason: String) {
        self.log = log
        self.line = line
        self.time = time
        self.reason = reason
    }
}
