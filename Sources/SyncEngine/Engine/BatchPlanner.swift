import MailModel

/// Cuts a folder's messages to copy into APPEND batches, one batch at a time, of at most
/// ``SyncOptions/batchMessages`` messages and about ``SyncOptions/batchBytes`` bytes.
///
/// With sizes known, a batch is filled up to the byte limit (a larger message goes alone).
/// Without them (a first copy into an empty folder, listed without RFC822.SIZE), the number
/// of messages is what the byte limit allows at the average size of the messages fetched so
/// far that stay in memory: larger ones go to a temporary file, so they do not count. The
/// first batch assumes ``assumedSize``. Either way the stager's memory budget is the hard
/// bound (``memoryBudget(_:)``).
struct BatchPlanner {
    /// The average message size assumed before any was seen: a typical text mail.
    static let assumedSize = 32 * 1024

    let maxMessages: Int
    let maxBytes: Int
    let sizesKnown: Bool
    /// Messages up to this size are held in memory while staged.
    let memoryThreshold: Int
    private var remaining: ArraySlice<MessageSummary>
    private var observedBytes = 0
    private var observedMessages = 0

    init(_ messages: [MessageSummary], sizesKnown: Bool, options: SyncOptions) {
        remaining = messages[...]
        self.sizesKnown = sizesKnown
        maxMessages = max(1, options.batchMessages)
        maxBytes = max(1, options.batchBytes)
        memoryThreshold = options.memoryThreshold
    }

    /// How many bytes one batch's stager may hold in memory before it stages further
    /// messages in files: twice the batch size, and never less than one message that fits
    /// under the memory threshold.
    static func memoryBudget(_ options: SyncOptions) -> Int {
        max(2 * options.batchBytes, options.memoryThreshold)
    }

    var isFinished: Bool { remaining.isEmpty }

    /// The next batch, empty when every message has been handed out.
    mutating func next() -> [MessageSummary] {
        guard !remaining.isEmpty else { return [] }
        var count = 0
        if sizesKnown {
            var bytes = 0
            for message in remaining {
                if count > 0, count >= maxMessages || bytes + message.size > maxBytes { break }
                count += 1
                bytes += message.size
            }
        } else {
            let average = observedMessages > 0 ? max(1, observedBytes / observedMessages) : Self.assumedSize
            count = min(maxMessages, remaining.count, max(1, maxBytes / average))
        }
        defer { remaining = remaining.dropFirst(count) }
        return Array(remaining.prefix(count))
    }

    /// Learn from a fetched batch: the sizes of its messages that stayed in memory.
    mutating func observe(_ staged: [StagedMessage]) {
        for message in staged where message.size <= memoryThreshold {
            observedBytes += message.size
            observedMessages += 1
        }
    }
}
