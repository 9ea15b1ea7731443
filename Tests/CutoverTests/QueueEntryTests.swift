@testable import Cutover
import Testing

struct QueueEntryTests {
    static func line(_ queue: String, _ id: String, to address: String = "alice@store.test") -> String {
        #"{"queue_name": "\#(queue)", "queue_id": "\#(id)", "arrival_time": 1765100000, "message_size": 300, "forced_expire": false, "sender": "s@ext.test", "recipients": [{"address": "\#(address)", "delay_reason": "held"}]}"#
    }

    /// A message qmgr moved from active to deferred while showq read the queue is listed in
    /// both: it is one message, where it moved to.
    @Test func aMessageListedTwiceDuringAMoveCountsOnceInItsLaterQueue() throws {
        let text = [Self.line("hold", "AAA1"), Self.line("active", "BBB2"), Self.line("active", "CCC3"),
                    Self.line("deferred", "BBB2")].joined(separator: "\n") + "\n"
        let entries = try QueueEntry.parse(lines: text, command: "postqueue -j")
        #expect(entries.map(\.queueID) == ["AAA1", "CCC3", "BBB2"])
        #expect(entries.map(\.queueName) == ["hold", "active", "deferred"])
        #expect(entries.first?.recipients.first?.delayReason == "held")
    }

    @Test func anEmptyQueueAndAMalformedLine() throws {
        #expect(try QueueEntry.parse(lines: "", command: "postqueue -j").isEmpty)
        #expect(throws: CutoverError.self) { try QueueEntry.parse(lines: "{\"queue_name\": 3}\n", command: "postqueue -j") }
    }
}
