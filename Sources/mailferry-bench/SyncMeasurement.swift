import Foundation

/// Every run of one tool (or of mailferry on one corpus) in a benchmark.
struct SyncMeasurement {
    var title: String
    var full = Samples()
    var noop = Samples()
    var fullRSS = Samples()
    var noopRSS = Samples()
    var fullCPU = Samples()
    /// What the destination held after the last full run, counted by Dovecot.
    var census: Census?
    /// Runs that did not exit 0 or left a destination that does not match the source.
    var problems: [String] = []

    init(title: String) { self.title = title }

    mutating func record(full fullRun: TimedRun, noop noopRun: TimedRun, census: Census) {
        full.append(fullRun.seconds)
        noop.append(noopRun.seconds)
        fullRSS.append(fullRun.maxRSSMegabytes)
        noopRSS.append(noopRun.maxRSSMegabytes)
        fullCPU.append(fullRun.cpuSeconds)
        self.census = census
        for run in [fullRun, noopRun] where run.status != 0 {
            problems.append("\(title): \(run.label) exited \(run.status):\n\(run.tail)")
        }
    }
}
