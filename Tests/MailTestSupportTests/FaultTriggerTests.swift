@testable import MailTestSupport
@testable import TestbedClient
import Testing

@Suite struct FaultTriggerTests {
    /// Feeds `stream` in pieces of `piece` bytes; returns how many bytes were forwarded
    /// before the trigger said cut (nil if it never did).
    static func cutPoint(_ cut: FaultPlan.Cut, _ stream: [UInt8], piece: Int, direction: FaultPlan.Direction = .serverToClient) -> Int? {
        var trigger = FaultTrigger(cut)
        var forwarded = 0
        var start = 0
        while start < stream.count {
            let chunk = stream[start..<min(start + piece, stream.count)]
            let (forward, cutNow) = trigger.admit(chunk, direction)
            #expect(forward <= chunk.count)
            forwarded += forward
            if cutNow { return forwarded }
            #expect(forward == chunk.count, "bytes may be held back only at the cut")
            start += chunk.count
        }
        return nil
    }

    static let literal = Array("* 1 FETCH (UID 7 BODY[] {20}\r\n0123456789abcdefghij)\r\nt2 OK done\r\n".utf8)

    @Test(arguments: [1, 2, 3, 7, 64, 1000])
    func cutsAfterExactlyNBytes(piece: Int) {
        #expect(Self.cutPoint(.afterBytes(10, .serverToClient), Self.literal, piece: piece) == 10)
        #expect(Self.cutPoint(.afterBytes(0, .serverToClient), Self.literal, piece: piece) == 0)
        #expect(Self.cutPoint(.afterBytes(Self.literal.count, .serverToClient), Self.literal, piece: piece) == Self.literal.count)
        #expect(Self.cutPoint(.afterBytes(Self.literal.count + 1, .serverToClient), Self.literal, piece: piece) == nil)
    }

    /// The pattern is found wherever the reads split it, byte at a time included.
    @Test(arguments: [1, 2, 3, 5, 8, 13, 31, 1000])
    func cutsInsideALiteralWhereverReadsSplitThePattern(piece: Int) {
        let end = 30  // just past "{20}\r\n"
        #expect(Self.cutPoint(.afterPattern("{20}\r\n", .serverToClient, then: 0), Self.literal, piece: piece) == end)
        #expect(Self.cutPoint(.afterPattern("{20}\r\n", .serverToClient, then: 10), Self.literal, piece: piece) == end + 10)
        #expect(Self.cutPoint(.afterPattern("nowhere", .serverToClient, then: 0), Self.literal, piece: piece) == nil)
        #expect(Self.cutPoint(.afterPattern("", .serverToClient, then: 4), Self.literal, piece: piece) == 4)
        // A pattern whose start matches earlier ("\r\n0" after the literal's size) and
        // whose whole appears only later.
        #expect(Self.cutPoint(.afterPattern("\r\nt2", .serverToClient, then: 0), Self.literal, piece: piece) == 55)
    }

    @Test func watchesOnlyItsDirection() {
        var trigger = FaultTrigger(.afterBytes(2, .clientToServer))
        let other = trigger.admit([1, 2, 3, 4][...], .serverToClient)
        #expect(other.forward == 4 && !other.cut)
        let watched = trigger.admit([1, 2, 3, 4][...], .clientToServer)
        #expect(watched.forward == 2 && watched.cut)
        var none = FaultTrigger(nil)
        let free = none.admit([1, 2, 3][...], .clientToServer)
        #expect(free.forward == 3 && !free.cut)
    }

    @Test func findsTheFirstMatch() {
        #expect(FaultTrigger.endOfFirstMatch(of: Array("ab".utf8), in: Array("xxabyab".utf8)) == 4)
        #expect(FaultTrigger.endOfFirstMatch(of: Array("aab".utf8), in: Array("aaab".utf8)) == 4)
        #expect(FaultTrigger.endOfFirstMatch(of: Array("abc".utf8), in: Array("ab".utf8)) == nil)
    }
}
