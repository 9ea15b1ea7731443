import Testing
@testable import Maildir

@Suite("courierpop3dsizelist")
struct CourierPOP3SizeListTests {
    func parse(_ text: String) throws -> CourierPOP3SizeList {
        try CourierPOP3SizeList.parse(Array(text.utf8), path: "/m/courierpop3dsizelist")
    }

    @Test func case18Version3() throws {
        let list = try parse(
            "/3 4 1690000000\n1700000000.M1P1.host,S=100:2,S 104 1:1690000000:0\n1700000001.M2P1.host,S=200:2,RS 204 2:1690000000:0\n1700000005.M6P1.host:2, 50 3:1690000000:0\n")
        #expect(list.version == 3)
        #expect(list.nextUID == 4)
        #expect(list.uidValidity == 1_690_000_000)
        #expect(list.records.map(\.uidl) == ["UID1-1690000000", "UID2-1690000000", "UID3-1690000000"])
        #expect(list.records.map(\.order) == [1, 2, 3])
        #expect(list.records.map(\.size) == [104, 204, 50])
        #expect(list.diagnostics.isEmpty)
    }

    @Test func case19LegacyVersions() throws {
        let v1 = try parse("/1 3\nf1:2,S 10 1\n")
        #expect(v1.records.map(\.uidl) == ["UID1"])
        let v0 = try parse("a+b\"c:2,S 10\n")
        #expect(v0.version == 0)
        #expect(v0.records.map(\.uidl) == ["a+2Bb+22c"])
        #expect(v0.diagnostics.map(\.code) == [.legacyPOP3List])
        let v2 = try parse("/2 8 0\nf 10 7:0\n")
        #expect(v2.records.map(\.uidl) == ["UID7"])
    }

    @Test func recordsSplitAtTheLastTwoSpaces() throws {
        let list = try parse("/3 4 5\nname with spaces:2,S 10 1:5:1\n")
        #expect(list.records.first?.fileName == "name with spaces:2,S")
    }

    @Test func version2RecordsMayOmitOrAddTheUTF8Flag() throws {
        let list = try parse("/2 4 5\na 10 1:5\nb 10 2:5:1\n")
        #expect(list.records.map(\.uidl) == ["UID1-5", "UID2-5"])
    }

    @Test func badLinesAreSkippedWithNumbers() throws {
        let list = try parse("/3 4 5\nnospace\nf x 1:5:0\nf 10 y:5:0\ng 10 2:5:0\nh 10 3:5:0")
        #expect(list.records.map(\.fileName) == ["g"])
        #expect(list.records.first?.order == 1)
        #expect(list.diagnostics.map(\.line) == [2, 3, 4, 6])
    }

    @Test(arguments: ["/4 1 2\n", "/x\n", "/2 5\n", "/1\n", "/3 a b\n"])
    func badHeaders(_ text: String) {
        #expect(throws: MaildirError.self) { try parse(text) }
    }

    @Test func escapedUIDLStopsAtColonAndEscapesPlus() {
        #expect(CourierPOP3SizeList.escapedUIDL("a b'c+d:2,S") == "a+20b+27c+2Bd")
    }
}
