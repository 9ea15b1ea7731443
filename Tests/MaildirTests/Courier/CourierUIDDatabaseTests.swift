import MailModel
import MailTestSupport
import Testing
@testable import Maildir

@Suite("courierimapuiddb parser")
struct CourierUIDDatabaseTests {
    struct Valid: CustomTestStringConvertible, Sendable {
        let input: String
        let validity: UInt32
        let next: UInt32
        let records: [(UInt32, String)]
        let skippedLines: [Int]
        var testDescription: String { input.debugDescription }
    }

    @Test(arguments: [
        Valid(
            input: "1 700000000 3\n1 1700000000.M1P1.host,S=100\n2 1700000001.M2P1.host,S=200\n",
            validity: 700_000_000, next: 3,
            records: [(1, "1700000000.M1P1.host,S=100"), (2, "1700000001.M2P1.host,S=200")], skippedLines: []),
        Valid(input: "1 700000000 9\n", validity: 700_000_000, next: 9, records: [], skippedLines: []),
        // sscanf tolerance: extra blanks and trailing text in the header.
        Valid(input: "1  5 7 junk\n3 a\n", validity: 5, next: 7, records: [(3, "a")], skippedLines: [1]),
        // Flags in a record are cut at the first ':'.
        Valid(input: "1 5 7\n3 a:2,S\n", validity: 5, next: 7, records: [(3, "a")], skippedLines: []),
        // Garbage record lines are skipped, with their numbers.
        Valid(
            input: "1 5 9\nx a\n0 b\n4294967295 c\n2\n3 ok\n 4 lead\n5 \n6 bad/name\n7 .hidden\n",
            validity: 5, next: 9, records: [(3, "ok")], skippedLines: [2, 3, 4, 5, 7, 8, 9, 10]),
        // A torn last line (no newline) is ignored, as Courier's readline does.
        Valid(input: "1 5 9\n1 a\n2 b", validity: 5, next: 9, records: [(1, "a")], skippedLines: [3]),
        // File names may contain spaces after the first one.
        Valid(input: "1 5 9\n1 a b\n", validity: 5, next: 9, records: [(1, "a b")], skippedLines: []),
    ])
    func valid(_ row: Valid) throws {
        let db = try CourierUIDDatabase.parse(Array(row.input.utf8), path: "/m/courierimapuiddb")
        #expect(db.uidValidity == UIDValidity(row.validity))
        #expect(db.nextUID == row.next)
        #expect(db.records.map { $0.uid.rawValue } == row.records.map(\.0))
        #expect(db.records.map(\.base) == row.records.map(\.1))
        #expect(db.diagnostics.compactMap(\.line) == row.skippedLines)
        #expect(db.diagnostics.allSatisfy { $0.path == "/m/courierimapuiddb" })
    }

    struct Invalid: CustomTestStringConvertible, Sendable {
        let input: String
        let kind: MaildirError.Kind
        var testDescription: String { input.debugDescription }
    }

    @Test(arguments: [
        Invalid(input: "", kind: .malformed),
        Invalid(input: "1 5 9", kind: .malformed),
        Invalid(input: "\n", kind: .malformed),
        Invalid(input: "2 5 9\n1 a\n", kind: .unsupportedVersion),
        Invalid(input: "3 V5 N9\n", kind: .unsupportedVersion),
        Invalid(input: "1 0 9\n", kind: .malformed),
        Invalid(input: "1 5\n", kind: .malformed),
        Invalid(input: "1 99999999999 9\n", kind: .malformed),
        Invalid(input: "1 -5 9\n", kind: .malformed),
        Invalid(input: "\u{00}\u{FF}garbage\n", kind: .malformed),
    ])
    func invalid(_ row: Invalid) {
        #expect {
            try CourierUIDDatabase.parse(Array(row.input.utf8), path: "/m/db")
        } throws: { error in
            guard let error = error as? MaildirError else { return false }
            return error.kind == row.kind && error.path == "/m/db" && error.line == (row.input.isEmpty ? 1 : 1)
        }
    }

    @Test func serializedRoundTrips() throws {
        let text = "1 700000000 9\n1 a,S=1\n4 b\n8 c\n"
        let db = try CourierUIDDatabase.parse(Array(text.utf8), path: "db")
        #expect(String(decoding: db.serialized(), as: UTF8.self) == text)
    }

    /// Garbage either fails to parse or parses into a database whose serialization reads back
    /// as itself.
    @Test func randomGarbageNeverCrashesAndWhatParsesRoundTrips() {
        var generator = SeededRandom.forTest("CourierUIDDatabaseTests")
        for round in 0..<500 {
            let length = Int.random(in: 0..<200, using: &generator)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if Bool.random(using: &generator) { bytes = Array("1 5 9\n".utf8) + bytes }
            guard let database = try? CourierUIDDatabase.parse(bytes, path: "fuzz") else { continue }
            let written = database.serialized()
            let reread = try? CourierUIDDatabase.parse(written, path: "fuzz")
            #expect(reread?.serialized() == written, "seed \(generator.seed), round \(round): \(bytes)")
        }
    }
}
