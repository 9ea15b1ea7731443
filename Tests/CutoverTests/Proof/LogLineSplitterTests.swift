import Cutover
import Testing

struct LogLineSplitterTests {
    func lines(_ chunks: [[UInt8]], max: Int = 64) -> ([String], Int) {
        var splitter = LogLineSplitter(maxLineLength: max)
        var out: [String] = []
        for chunk in chunks { splitter.feed(chunk) { out.append(String(decoding: $0, as: UTF8.self)) } }
        splitter.finish { out.append(String(decoding: $0, as: UTF8.self)) }
        return (out, splitter.overlongLines)
    }

    @Test func anySplitOfTheBytesGivesTheSameLines() {
        let text = Array("first line\r\nsecond\n\nthird without end".utf8)
        let whole = lines([text])
        #expect(whole.0 == ["first line", "second", "", "third without end"])
        #expect(lines(text.map { [$0] }).0 == whole.0)
        for cut in 0...text.count {
            #expect(lines([Array(text[..<cut]), Array(text[cut...])]).0 == whole.0, "cut at \(cut)")
        }
    }

    @Test func aLineOverTheLimitIsDroppedAndCounted() {
        let long = String(repeating: "x", count: 100)
        let (out, overlong) = lines([Array("short\n\(long)\nafter\n".utf8)])
        #expect(out == ["short", "after"])
        #expect(overlong == 1)
        let exact = String(repeating: "y", count: 64)
        #expect(lines([Array("\(exact)\n".utf8)]).0 == [exact])
    }

    @Test func theScannerCountsMalformedLinesAndGoesOn() {
        let text = "no timestamp here\nDec 06 11:06:00 mx postfix/qmgr[1]: ABCDEF12345: removed\n" + String(repeating: "z", count: 20_000) + "\n"
        let scan = MailLogScan.scan(name: "t", bytes: Array(text.utf8), clock: LogClock(anchor: LogInstant(iso: "2026-12-06T12:00:00Z")!))
        #expect(scan.lines == 3)
        #expect(scan.malformed == 2)
        #expect(scan.records.count == 1)
        #expect(scan.gaps.isEmpty)
    }
}
