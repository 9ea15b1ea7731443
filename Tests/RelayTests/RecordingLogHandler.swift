import Logging
import Synchronization

/// Keeps the messages logged at debug level and above, so a test can wait for something the
/// code under test only logs (a retry that failed again).
final class RecordingLogHandler: Sendable {
    let messages = Mutex<[String]>([])
    /// Each event as a log line would render it: level, message, metadata (the handler's and
    /// the event's), for tests that search everything a log would hold.
    let lines = Mutex<[String]>([])

    var logger: Logger {
        var logger = Logger(label: "test") { _ in Handler(recorder: self) }
        logger.logLevel = .debug
        return logger
    }

    func count(_ message: String) -> Int {
        messages.withLock { $0.filter { $0 == message }.count }
    }

    struct Handler: LogHandler {
        let recorder: RecordingLogHandler
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            recorder.messages.withLock { $0.append(event.message.description) }
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            recorder.lines.withLock { $0.append("\(event.level) \(event.message) \(all) \(event.source) \(event.file)") }
        }
    }
}
