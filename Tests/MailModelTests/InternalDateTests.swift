import MailModel
import Testing

@Suite struct InternalDateTests {
    static let cases: [(String, Int64, Int, String)] = [
        (" 7-Feb-1994 21:52:25 -0800", 760_686_745, -480, "07-Feb-1994 21:52:25 -0800"),
        ("01-Jan-1970 00:00:00 +0000", 0, 0, "01-Jan-1970 00:00:00 +0000"),
        ("29-Feb-2024 23:59:59 +0130", 1_709_245_799, 90, "29-Feb-2024 23:59:59 +0130"),
        ("31-dec-1969 23:00:00 -0100", 0, -60, "31-Dec-1969 23:00:00 -0100"),
    ]

    @Test(arguments: cases)
    func parsesAndFormats(input: String, seconds: Int64, zone: Int, formatted: String) throws {
        let date = try #require(InternalDate(imapString: input))
        #expect(date.secondsSince1970 == seconds)
        #expect(date.zoneOffsetMinutes == zone)
        #expect(date.imapString == formatted)
        #expect(InternalDate(imapString: date.imapString) == date)
    }

    @Test(arguments: ["", "7-Foo-1994 21:52:25 -0800", "07-Feb-94 21:52:25 -0800", "07-Feb-1994 25:00:00 +0000",
                      "07-Feb-1994 21:52:25 0800", "07-Feb-1994 21:52 -0800", "32-Jan-2000 00:00:00 +0000"])
    func rejects(input: String) {
        #expect(InternalDate(imapString: input) == nil)
    }

    @Test func utcStringForReports() {
        #expect(InternalDate(imapString: " 7-Feb-1994 21:52:25 -0800")?.utcString == "1994-02-08 05:52:25 UTC")
        #expect(InternalDate(secondsSince1970: -1).utcString == "1969-12-31 23:59:59 UTC")
    }
}
