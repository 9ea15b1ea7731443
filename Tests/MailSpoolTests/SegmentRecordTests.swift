import Testing

@testable import MailSpool

/// The segment record format: a record is valid only when complete and matching its digest;
/// a scan finds every valid record, reports a torn tail and skips a damaged stretch.
@Suite struct SegmentRecordTests {
    static let payloads: [[UInt8]] = [Array("first message\r\n".utf8), Array(repeating: 0x41, count: 5000), Array("MFREC/1 inside a body\r\n".utf8)]

    static var segment: [UInt8] { payloads.flatMap(SegmentRecord.encode) }

    @Test func recordsRoundTrip() {
        let bytes = Self.segment
        let scan = SegmentRecord.scan(bytes)
        #expect(scan.damaged.isEmpty)
        #expect(scan.records.map { Array(SegmentRecord.decode(bytes, at: $0.offset)!) } == Self.payloads)
        #expect(scan.records.map(\.length) == Self.payloads.map { $0.count + SegmentRecord.headerLength })
    }

    /// A crash can cut the file anywhere: every cut keeps the whole records before it, never
    /// yields a partial one, and reports the rest as a torn tail.
    @Test func everyCutOfTheLastRecordIsATornTail() {
        let bytes = Self.segment
        let lastStart = bytes.count - SegmentRecord.encode(Self.payloads[2]).count
        for cut in lastStart..<bytes.count {
            let scan = SegmentRecord.scan(Array(bytes.prefix(cut)))
            #expect(scan.records.count == 2, "cut at \(cut)")
            #expect(scan.damaged == (cut > lastStart ? [lastStart..<cut] : []), "cut at \(cut)")
        }
    }

    @Test func aDamagedRecordIsSkippedAndTheOnesAfterItAreKept() {
        let first = SegmentRecord.encode(Self.payloads[0]).count
        for position in [first + 3, first + 20, first + SegmentRecord.headerLength + 100] {
            var bytes = Self.segment
            bytes[position] ^= 0x01
            let scan = SegmentRecord.scan(bytes)
            #expect(scan.records.map(\.offset) == [0, first + SegmentRecord.encode(Self.payloads[1]).count], "flip at \(position)")
            #expect(scan.damaged == [first..<(first + SegmentRecord.encode(Self.payloads[1]).count)], "flip at \(position)")
        }
    }

    @Test func zeroFilledTailIsTorn() {
        let bytes = Self.segment + Array(repeating: 0, count: 4096)
        let scan = SegmentRecord.scan(bytes)
        #expect(scan.records.count == 3)
        #expect(scan.damaged == [Self.segment.count..<bytes.count])
    }
}
