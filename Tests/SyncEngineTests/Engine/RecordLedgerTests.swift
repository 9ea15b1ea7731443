import MailModel
import MailTestSupport
import StateStore
import Testing

@testable import SyncEngine

@Suite struct RecordLedgerTests {
    static let states: [MessageRecord.State] = [.pending, .copied, .matched, .rejected, .keptDeleted]
    static let validities = [UIDValidity(7), UIDValidity(8)]
    static let destinations: [(folder: String, validity: UIDValidity?)] = [
        ("INBOX", UIDValidity(100)), ("INBOX", UIDValidity(101)), ("Old", UIDValidity(100)), ("INBOX", nil),
    ]

    static func randomRecord(_ random: inout SeededRandom) -> MessageRecord {
        let destination = destinations[random.next(below: destinations.count)]
        return MessageRecord(
            account: "alice", sourceFolder: "INBOX", sourceUIDValidity: validities[random.next(below: validities.count)],
            sourceUID: UID(exactly: UInt32(1 + random.next(below: 12))), destinationFolder: destination.folder,
            destinationUIDValidity: destination.validity, destinationUID: UID(exactly: UInt32(1 + random.next(below: 40))),
            fingerprint: .of(Array("message \(random.next(below: 5))".utf8)), size: 10, internalDate: nil, syncedFlags: [],
            state: states[random.next(below: states.count)])
    }

    /// The counts the ledger keeps give the answers a walk over its records gives, after any
    /// mix of puts (new records and replacements) and removals.
    @Test func itsCountsAnswerAsAWalkOverTheRecordsWould() {
        var random = SeededRandom.forTest("RecordLedgerTests")
        for _ in 0..<50 {
            var ledger = RecordLedger(records: (0..<random.next(below: 20)).map { _ in Self.randomRecord(&random) })
            for _ in 0..<40 {
                switch random.next(below: 3) {
                case 0: ledger.update((0..<random.next(below: 4)).map { _ in Self.randomRecord(&random) })
                case 1: ledger.remove((0..<random.next(below: 3)).map { _ in Self.randomRecord(&random).sourceKey })
                default: break
                }
                let all = Array(ledger.records.values)
                #expect(ledger.hasUnsettled == all.contains { $0.state == .pending })
                #expect(ledger.keptDeletions == all.filter { $0.state == .keptDeleted }.count)
                for validity in Self.validities {
                    #expect(ledger.count(validity: validity) == all.filter { $0.sourceUIDValidity == validity }.count)
                    #expect(ledger.hasRejected(validity: validity) == all.contains { $0.sourceUIDValidity == validity && $0.state == .rejected })
                    #expect(ledger.hasRecords(otherThan: validity) == all.contains { $0.sourceUIDValidity != validity })
                    for uid in 1...12 {
                        let key = MessageRecord.SourceKey(uidValidity: validity, uid: UID(exactly: UInt32(uid)))
                        #expect(ledger.record(uid: UID(exactly: UInt32(uid)), validity: validity) == ledger.records[key])
                    }
                }
                for destination in Self.destinations {
                    guard let validity = destination.validity else { continue }
                    let unsettled = all.contains { record in
                        let elsewhere = record.destinationFolder != destination.folder || record.destinationUIDValidity != validity
                        return record.state != .rejected && (record.state == .pending || elsewhere)
                    }
                    #expect(ledger.hasUnsettled(in: destination.folder, validity: validity) == unsettled)
                }
            }
        }
    }
}
