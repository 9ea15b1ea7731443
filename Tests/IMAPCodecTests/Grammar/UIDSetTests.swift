import IMAPCodec
import MailModel
import Testing

@Suite struct UIDSetTests {
    @Test func mergesAndSorts() {
        let set = UIDSet([5, 1, 2, 3, 9, 10, 4].map { UID(exactly: $0) })
        #expect(set.ranges == [1...5, 9...10])
        #expect(set.description == "1:5,9:10")
        #expect(set.count == 7)
        #expect(set.contains(UID(exactly: 9)) && !set.contains(UID(exactly: 6)))
        #expect(UIDSet.all.description == "1:*")
    }

    @Test func splitsByLengthAndCount() {
        let set = UIDSet((1...50).filter { $0 % 2 == 0 }.map { UID(exactly: UInt32($0)) })
        let pieces = set.split(maximumEncodedLength: 20)
        #expect(pieces.allSatisfy { $0.description.utf8.count <= 20 })
        #expect(pieces.flatMap(\.uids) == set.uids)
        let counted = UIDSet(ranges: [1...10, 20...25]).split(maximumCount: 4)
        #expect(counted.map(\.count) == [4, 4, 4, 4])
        #expect(counted.flatMap(\.uids) == UIDSet(ranges: [1...10, 20...25]).uids)
    }

    @Test func subtractsOnRanges() {
        let set = UIDSet(ranges: [1...10, 20...30, 40...4_000_000_000])
        let removed = UIDSet(ranges: [1...2, 5...5, 10...25, 41...4_000_000_000])
        #expect(set.subtracting(removed).ranges == [3...4, 6...9, 26...30, 40...40])
        #expect(set.subtracting(UIDSet()).ranges == set.ranges)
        #expect(set.subtracting(set).isEmpty)
    }

    @Test func insertsOutOfOrderAndMergesAdjacent() {
        var set = UIDSet()
        for range in [10...12, 1...2, 5...6, 3...4, 13...13, 20...UInt32.max, 30...40] as [ClosedRange<UInt32>] { set.insert(range) }
        #expect(set.ranges == [1...6, 10...13, 20...UInt32.max])
    }
}
