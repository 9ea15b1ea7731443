/// The timed sample's figures summed over its accounts, for the estimates: one connection's
/// read rate of the old server and the incremental pass per account.
struct SampleRate: Equatable {
    /// Sampled accounts whose bodies were read.
    var accounts: Int
    var messages: Int
    var bytes: Int
    var seconds: Double
    /// False when the time budget stopped the read before every sampled message was read.
    var complete: Bool
    /// Sampled accounts whose incremental pass finished, and its average in seconds.
    var incrementalCount: Int
    var incrementalAverage: Double?

    var bytesPerSecond: Double { Double(bytes) / seconds }
    var messagesPerSecond: Double { Double(messages) / seconds }

    /// nil when the sample read no body in a measurable time (off, failed, or empty accounts).
    init?(accounts: [AccountPlan]) {
        let samples = accounts.compactMap(\.sample).filter { $0.error == nil }
        let read = samples.filter { $0.messagesRead > 0 && $0.readSeconds > 0 }
        guard !read.isEmpty else { return nil }
        self.accounts = read.count
        messages = read.map(\.messagesRead).reduce(0, +)
        bytes = read.map(\.bytesRead).reduce(0, +)
        seconds = read.map(\.readSeconds).reduce(0, +)
        complete = samples.allSatisfy(\.complete)
        let passes = samples.compactMap(\.incrementalSeconds)
        incrementalCount = passes.count
        incrementalAverage = passes.isEmpty ? nil : passes.reduce(0, +) / Double(passes.count)
    }

    /// Why the accounts give no rate, in words for the report; nil when they do.
    static func fallback(accounts: [AccountPlan]) -> String? {
        guard SampleRate(accounts: accounts) == nil else { return nil }
        guard accounts.contains(where: { $0.sample != nil }) else { return "no account was sampled (--sample-accounts 0)" }
        if let failed = accounts.first(where: { $0.sample?.error != nil }), let error = failed.sample?.error {
            return "the sample failed on \(failed.account): \(error)"
        }
        return "the sampled accounts had no message to read"
    }
}
