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
}
