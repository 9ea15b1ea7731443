/// What one timed run measured.
struct TimedRun {
    var label: String
    var seconds: Double
    var status: Int32
    var maxRSSKilobytes: Int
    var cpuSeconds: Double
    var stdout: String
    var stderr: String

    var maxRSSMegabytes: Double { Double(maxRSSKilobytes) / 1024 }

    /// The run's output for an error message: the last lines of stderr, else of stdout.
    var tail: String {
        let text = stderr.isEmpty ? stdout : stderr
        return text.split(separator: "\n").suffix(8).joined(separator: "\n")
    }
}
