@testable import CorpusGenerator
import Testing

@Suite struct CivilDateTests {
    @Test(arguments: [
        (Int64(0), 0, "Thu, 01 Jan 1970 00:00:00 +0000"),
        (Int64(1_700_000_000), 0, "Tue, 14 Nov 2023 22:13:20 +0000"),
        (Int64(1_700_000_000), 120, "Wed, 15 Nov 2023 00:13:20 +0200"),
        (Int64(1_551_791_002), -300, "Tue, 05 Mar 2019 08:03:22 -0500"),
        (Int64(951_782_400), 0, "Tue, 29 Feb 2000 00:00:00 +0000"),
    ])
    func formatsRFC5322Dates(seconds: Int64, zone: Int, expected: String) {
        #expect(CivilDate.rfc5322(seconds, zoneMinutes: zone) == expected)
    }

    @Test func roundTripsDays() {
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            let (y, m, d) = CivilDate.civilFromDays(days)
            #expect(CivilDate.daysFromCivil(year: y, month: m, day: d) == days)
        }
    }
}
