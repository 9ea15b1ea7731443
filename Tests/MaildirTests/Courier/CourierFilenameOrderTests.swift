import Testing
@testable import Maildir

@Suite("Courier file name order")
struct CourierFilenameOrderTests {
    @Test(arguments: [
        // The leading number (delivery time) decides first, numerically.
        ("999.M1P1.host", "1000.M1P1.host", true),
        ("1000.M1P1.host", "999.M1P1.host", false),
        // Then the bytes.
        ("1700000000.M1P1.a", "1700000000.M1P1.b", true),
        // ':' ends the name: flags do not matter.
        ("1700000000.M1P1.a:2,S", "1700000000.M1P1.a:2,RS", false),
        ("1700000000.M1P1.a:2,RS", "1700000000.M1P1.a:2,S", false),
        // A shorter name sorts first.
        ("1700000000.M1", "1700000000.M1P1", true),
        // No leading digits: atol gives 0.
        ("abc", "1.x", true),
    ])
    func imapOrder(_ a: String, _ b: String, _ precedes: Bool) {
        #expect(CourierFilenameOrder.imapPrecedes(a, b) == precedes)
    }

    @Test func imapEqualityStopsAtColon() {
        #expect(CourierFilenameOrder.imapCompare("1.a:2,S", "1.a") == 0)
        #expect(CourierFilenameOrder.imapCompare("1.a:2,S", "1.a:2,T") == 0)
    }

    @Test(arguments: [
        ("f:2,S", "f:2,RS", true),
        ("f", "f", true),
        ("f", "f:2,S", false),
        ("f:2,S", "g:2,S", false),
    ])
    func pop3Matching(_ a: String, _ b: String, _ equal: Bool) {
        #expect((CourierFilenameOrder.pop3Key(a) == CourierFilenameOrder.pop3Key(b)) == equal)
    }
}
