import MailModel
import MailTestSupport
import Testing
@testable import Maildir

@Suite("dovecot-uidlist parser and writer")
struct DovecotUIDListTests {
    func parse(_ text: String) throws -> (DovecotUIDList, [MaildirDiagnostic]) {
        try DovecotUIDList.parse(Array(text.utf8), path: "/d/dovecot-uidlist")
    }

    @Test func version3WithFieldsRoundTrips() throws {
        let text = """
            3 V700000000 N4 G07703f22bf6c0b6b1e5a000083ecc375 Xother
            1 O1 PUID1-1690000000 W104 :1700000000.M1P1.host,S=100
            2 :1700000001.M2P1.host,S=200
            3 GABC :1700000002.M3P1.host

            """
        let (list, diagnostics) = try parse(text)
        #expect(diagnostics.isEmpty)
        #expect(list.version == 3)
        #expect(list.uidValidity == UIDValidity(700_000_000))
        #expect(list.nextUID.rawValue == 4)
        #expect(list.mailboxGUID == "07703f22bf6c0b6b1e5a000083ecc375")
        #expect(list.records.map(\.uid.rawValue) == [1, 2, 3])
        #expect(list.records[0].pop3UIDL == "UID1-1690000000")
        #expect(list.records[0].pop3Order == 1)
        #expect(list.records[0].value("W") == "104")
        #expect(String(decoding: list.serialized(), as: UTF8.self) == text)
    }

    @Test func version1IsReadAndWrittenAsVersion3() throws {
        let (list, _) = try parse("1 700000000 5\n1 a:2,S\n4 b\n")
        #expect(list.version == 1)
        #expect(list.records.map(\.base) == ["a", "b"])
        #expect(String(decoding: list.serialized(), as: UTF8.self) == "3 V700000000 N5\n1 :a\n4 :b\n")
    }

    @Test func nextUIDBelowTheLastRecordIsRaisedInVersion3() throws {
        let (list, _) = try parse("3 V7 N2\n5 :a\n")
        #expect(list.nextUID.rawValue == 6)
    }

    @Test func laterDuplicateWinsAsInDovecot() throws {
        let (list, diagnostics) = try parse("3 V7 N9\n1 :a\n2 :b\n3 :a\n")
        #expect(list.records.map { "\($0.uid):\($0.base)" } == ["2:b", "3:a"])
        #expect(diagnostics.map(\.code) == [.duplicateFileName])
    }

    @Test func invalidFieldIsDroppedLikeDovecot() throws {
        let (list, diagnostics) = try parse("3 V7 N9\n1 O1 x2 :a\n")
        #expect(list.records[0].fields.count == 1)
        #expect(diagnostics.count == 1)
    }

    @Test func tornLastLineIsIgnored() throws {
        let (list, diagnostics) = try parse("3 V7 N9\n1 :a\n2 :b")
        #expect(list.records.count == 1)
        #expect(diagnostics.first?.line == 3)
    }

    @Test(arguments: [
        ("", 1), ("3 V7 N9", 1), ("x V7 N9\n", 1), ("2 V7 N9\n", 1), ("3 V0 N9\n", 1), ("3 V7\n", 1), ("3 V7 N9 Gzz\n", 1),
        ("1 7 9 \n5 a\n9 b\n", 3), ("3 V7 N9\n0 :a\n", 2), ("3 V7 N9\n2 :a\n1 :b\n", 3), ("3 V7 N9\n2 :a\n2 :b\n", 3),
        ("3 V7 N9\n1 :a/b\n", 2), ("3 V7 N9\n1 O1\n", 2), ("3 V7 N9\nx :a\n", 2), ("3 V7 N9\n4294967295 :a\n", 2),
        ("3 V7 N9\n1 :\n", 2),
    ])
    func brokenFilesAreRejectedWithTheirLine(_ text: String, _ line: Int) {
        #expect {
            try parse(text)
        } throws: { error in
            (error as? MaildirError)?.line == line
        }
    }

    @Test func validateRefusesWhatDovecotCallsCorrupt() {
        func list(_ records: [(UInt32, String)], next: UInt32 = 10) -> DovecotUIDList {
            DovecotUIDList(
                uidValidity: UIDValidity(7), nextUID: UID(exactly: next),
                records: records.map { DovecotUIDList.Record(uid: UID(exactly: $0.0), base: $0.1) })
        }
        #expect(throws: Never.self) { try list([(1, "a"), (2, "b")]).validate(path: "p") }
        #expect(throws: MaildirError.self) { try list([(2, "a"), (1, "b")]).validate(path: "p") }
        #expect(throws: MaildirError.self) { try list([(10, "a")]).validate(path: "p") }
        #expect(throws: MaildirError.self) { try list([(1, "a"), (2, "a")]).validate(path: "p") }
        #expect(throws: MaildirError.self) { try list([(1, "a:2,S")]).validate(path: "p") }
        var withSpace = list([(1, "a")])
        withSpace.records[0].set("P", "a b")
        #expect(throws: MaildirError.self) { try withSpace.validate(path: "p") }
    }

    /// Garbage either fails to parse or parses into a list whose serialization reads back as
    /// itself.
    @Test func randomGarbageNeverCrashesAndWhatParsesRoundTrips() {
        var generator = SeededRandom.forTest("DovecotUIDListTests")
        for round in 0..<500 {
            var bytes = (0..<Int.random(in: 0..<120, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if Bool.random(using: &generator) { bytes = Array("3 V7 N9\n".utf8) + bytes }
            guard let (list, _) = try? DovecotUIDList.parse(bytes, path: "fuzz") else { continue }
            let written = list.serialized()
            let reread = try? DovecotUIDList.parse(written, path: "fuzz")
            #expect(reread?.0.serialized() == written, "seed \(generator.seed), round \(round): \(bytes)")
        }
    }
}
