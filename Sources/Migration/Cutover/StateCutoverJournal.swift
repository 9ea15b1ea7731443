import Foundation
import MailferryConfig
import StateStore

/// A cutover's journal in the state store's SQLite file (the `cutover_journal` table), the
/// events as JSON. One `run` name per cutover.
public struct StateCutoverJournal: CutoverJournal {
    public let store: SQLiteStateStore
    public let run: String

    public init(store: SQLiteStateStore, run: String) {
        self.store = store
        self.run = run
    }

    public func records() async throws -> [CutoverRecord] {
        try await store.cutoverEntries(run: run).map { entry in
            let step = try entry.step.map { name in
                guard let step = CutoverStep(name: name) else {
                    throw ConfigError("the cutover journal \(run) names an unknown step \"\(name)\" (written by a newer mailferry?)")
                }
                return step
            }
            let event: CutoverEvent
            do {
                event = try JSONDecoder().decode(CutoverEvent.self, from: Data(entry.event.utf8))
            } catch {
                throw ConfigError("the cutover journal \(run) has an unreadable event at \(entry.sequence): \(error)")
            }
            return CutoverRecord(sequence: entry.sequence, at: entry.at, step: step, event: event)
        }
    }

    @discardableResult
    public func append(step: CutoverStep?, event: CutoverEvent, at: Double) async throws -> CutoverRecord {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(event), as: UTF8.self)
        let entry = try await store.appendCutoverEntry(run: run, at: at, step: step?.name, event: text)
        return CutoverRecord(sequence: entry.sequence, at: entry.at, step: step, event: event)
    }
}
