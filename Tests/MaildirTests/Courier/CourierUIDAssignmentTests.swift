import MailModel
import Testing
@testable import Maildir

@Suite("Courier UID assignment")
struct CourierUIDAssignmentTests {
    func db(_ text: String) throws -> CourierUIDDatabase {
        try CourierUIDDatabase.parse(Array(text.utf8), path: "/m/courierimapuiddb")
    }

    func cur(_ name: String, ctime: Int64 = 0) -> MaildirFileEntry {
        MaildirFileEntry(location: .cur, name: name, size: 1, modificationTime: 0, changeTime: ctime)
    }

    func new(_ name: String) -> MaildirFileEntry {
        MaildirFileEntry(location: .new, name: name, size: 1, modificationTime: 0)
    }

    func uids(_ assignment: CourierUIDAssignment) -> [String: UInt32] {
        var map: [String: UInt32] = [:]
        for message in assignment.messages { map[message.entry.relativePath] = message.uid?.rawValue ?? 0 }
        return map
    }

    @Test func case1KeepsRecordedUIDs() throws {
        let result = try CourierUIDAssignment.assign(
            database: db("1 700000000 3\n1 1700000000.M1P1.host,S=100\n2 1700000001.M2P1.host,S=200\n"),
            entries: [cur("1700000001.M2P1.host,S=200:2,RS"), cur("1700000000.M1P1.host,S=100:2,S")],
            assignNew: true, path: "/m")
        #expect(result.messages.map { $0.uid?.rawValue } == [1, 2])
        #expect(result.messages.allSatisfy { $0.origin == .database })
        #expect(result.nextUID.rawValue == 3)
        #expect(result.diagnostics.isEmpty)
    }

    @Test func case2GapsAreKept() throws {
        let result = try CourierUIDAssignment.assign(
            database: db("1 700000000 9\n1 a\n4 b\n8 c\n"), entries: [cur("1.a:2,"), cur("1.b:2,"), cur("1.c:2,")].map {
                MaildirFileEntry(location: .cur, name: String($0.name.dropFirst(2)), size: 1, modificationTime: 0)
            }, assignNew: true, path: "/m")
        #expect(result.messages.map { $0.uid?.rawValue } == [1, 4, 8])
        #expect(result.nextUID.rawValue == 9)
    }

    @Test func case3NextUIDTooLowIsRaised() throws {
        let result = try CourierUIDAssignment.assign(
            database: db("1 700000000 2\n1 a\n3 b\n5 c\n"), entries: [cur("a:2,"), cur("b:2,"), cur("c:2,"), cur("d:2,")],
            assignNew: true, path: "/m")
        #expect(uids(result) == ["cur/a:2,": 1, "cur/b:2,": 3, "cur/c:2,": 5, "cur/d:2,": 6])
        #expect(result.nextUID.rawValue == 7)
        #expect(result.diagnostics.map(\.code) == [.nextUIDRaised])
    }

    @Test func case4UnorderedRecordsComeOutSorted() throws {
        let result = try CourierUIDAssignment.assign(
            database: db("1 700000000 6\n5 b\n1 a\n3 c\n"), entries: [cur("b:2,"), cur("a:2,"), cur("c:2,")], assignNew: true, path: "/m")
        #expect(result.messages.map(\.entry.base) == ["a", "c", "b"])
        #expect(result.messages.map { $0.uid?.rawValue } == [1, 3, 5])
    }

    @Test func case5NewMessagesFollowCourierOrder() throws {
        let database = try db("1 700000000 3\n1 1700000000.M1P1.host\n2 1700000001.M2P1.host\n")
        let entries = [
            cur("1700000000.M1P1.host:2,S"), cur("1700000001.M2P1.host:2,RS"),
            new("1700000003.M4P1.host"), cur("1700000002.M3P1.host:2,"), new("999999999.M9P1.host"),
        ]
        let assigned = try CourierUIDAssignment.assign(database: database, entries: entries, assignNew: true, path: "/m")
        // Courier sorts the unnumbered ones by delivery time, cur/ and new/ together.
        #expect(uids(assigned)["new/999999999.M9P1.host"] == 3)
        #expect(uids(assigned)["cur/1700000002.M3P1.host:2,"] == 4)
        #expect(uids(assigned)["new/1700000003.M4P1.host"] == 5)
        #expect(assigned.nextUID.rawValue == 6)
        #expect(assigned.messages.filter { $0.origin == .assigned }.count == 3)

        let leftNew = try CourierUIDAssignment.assign(database: database, entries: entries, assignNew: false, path: "/m")
        #expect(uids(leftNew)["cur/1700000002.M3P1.host:2,"] == 3)
        #expect(uids(leftNew)["new/1700000003.M4P1.host"] == 0)
        #expect(leftNew.nextUID.rawValue == 4)
        #expect(leftNew.messages.last?.uid == nil)
    }

    @Test func case6StaleRecordsAreDroppedButNeverReused() throws {
        let result = try CourierUIDAssignment.assign(
            database: db("1 700000000 10\n1 a\n9 gone.host\n"), entries: [cur("a:2,"), cur("b:2,")], assignNew: true, path: "/m")
        #expect(uids(result) == ["cur/a:2,": 1, "cur/b:2,": 10])
        #expect(result.diagnostics.map(\.code) == [.staleDatabaseEntry])
        #expect(result.diagnostics.first?.line == 3)
    }

    @Test func missingDatabaseNumbersEverythingFromOne() throws {
        let result = try CourierUIDAssignment.assign(
            database: nil, entries: [cur("20.b:2,S"), cur("10.a:2,"), new("30.c")], assignNew: true, path: "/m")
        #expect(uids(result) == ["cur/10.a:2,": 1, "cur/20.b:2,S": 2, "new/30.c": 3])
        #expect(result.nextUID.rawValue == 4)
    }

    @Test func sameBaseListedTwiceKeepsFirstUID() throws {
        let result = try CourierUIDAssignment.assign(
            database: db("1 7 9\n2 a\n5 a\n"), entries: [cur("a:2,S")], assignNew: true, path: "/m")
        #expect(uids(result) == ["cur/a:2,S": 2])
        #expect(result.diagnostics.map(\.code) == [.duplicateFileName])
    }

    @Test func uidClaimedTwiceGoesToTheFirstRecord() throws {
        let result = try CourierUIDAssignment.assign(
            database: db("1 7 9\n2 a\n2 b\n"), entries: [cur("a:2,"), cur("b:2,")], assignNew: true, path: "/m")
        #expect(uids(result) == ["cur/a:2,": 2, "cur/b:2,": 9])
        #expect(result.diagnostics.map(\.code) == [.duplicateUID])
    }

    @Test func duplicateBaseKeepsUIDOnNewestCurCopy() throws {
        let result = try CourierUIDAssignment.assign(
            database: db("1 7 9\n3 a\n"),
            entries: [cur("a:2,S", ctime: 100), cur("a:2,RS", ctime: 200), new("a")], assignNew: true, path: "/m")
        let byPath = Dictionary(uniqueKeysWithValues: result.messages.map { ($0.entry.relativePath, $0) })
        #expect(byPath["cur/a:2,RS"]?.uid?.rawValue == 3)
        #expect(byPath["cur/a:2,RS"]?.isDuplicateBase == false)
        #expect(byPath["cur/a:2,S"]?.isDuplicateBase == true)
        #expect(byPath["new/a"]?.isDuplicateBase == true)
        #expect(Set(result.messages.compactMap { $0.uid?.rawValue }) == [3, 9, 10])
        #expect(result.diagnostics.filter { $0.code == .duplicateMessageBase }.count == 2)
    }
}
