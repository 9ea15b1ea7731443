import Foundation
import StateStore
import Testing

@testable import Migration

/// The journal in the state store: records survive closing the database (as after kill -9:
/// every append is a committed transaction), in order, per run.
@Suite struct StateCutoverJournalTests {
    @Test func recordsSurviveReopeningInOrderPerRun() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cutover-journal-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let events: [(CutoverStep?, CutoverEvent)] = [
            (.testRelay, .started(token: "m-1@mailferry")),
            (.testRelay, .finished(CutoverResult(detail: "sent"))),
            (.presync(round: 1), .started(token: nil)),
            (.presync(round: 1), .finished(CutoverResult(copied: 412))),
            (.verify, .failed(reason: "1 message missing: INBOX uid 7")),
            (.drainCheck, .oldDNSAnswer(OldDNSAnswer(server: "resolver 192.0.2.1", host: "mail.example.com", addresses: ["192.0.2.10", "2001:db8::10"], ttl: 300))),
            (.drainCheck, .notYet(detail: "queue: 3", retryAfter: 60.5)),
            (nil, .rollbackRequested),
        ]
        do {
            let journal = StateCutoverJournal(store: try SQLiteStateStore(directory: directory), run: "example.com")
            for (index, (step, event)) in events.enumerated() { try await journal.append(step: step, event: event, at: Double(1000 + index)) }
            try await StateCutoverJournal(store: try SQLiteStateStore(directory: directory), run: "other").append(
                step: .closeNewLogins, event: .started(token: nil), at: 5)
        }
        let reopened = StateCutoverJournal(store: try SQLiteStateStore(directory: directory), run: "example.com")
        let records = try await reopened.records()
        #expect(records.map(\.sequence) == Array(1...events.count))
        #expect(records.map(\.step) == events.map(\.0))
        #expect(records.map(\.event) == events.map(\.1))
        #expect(records.last?.at == Double(1000 + events.count - 1))
        #expect(try await reopened.store.cutoverRuns() == ["example.com", "other"])
    }
}
