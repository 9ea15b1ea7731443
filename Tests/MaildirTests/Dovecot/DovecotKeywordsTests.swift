import Testing
@testable import Maildir

@Suite("dovecot-keywords")
struct DovecotKeywordsTests {
    @Test func parseSkipsWhatDovecotSkips() {
        let (keywords, diagnostics) = DovecotKeywords.parse(
            Array("0 $Label1\n1 Junk\nnospace\n26 TooHigh\n2 \n3 Junk\n5 Has Space\n".utf8), path: "k")
        #expect(keywords.names == [0: "$Label1", 1: "Junk", 5: "Has Space"])
        #expect(diagnostics.map(\.line) == [3, 4, 5, 6])
    }

    @Test func serializedInIndexOrder() {
        let keywords = DovecotKeywords(names: [1: "Junk", 0: "$Label1", 30: "x"])
        #expect(String(decoding: keywords.serialized(), as: UTF8.self) == "0 $Label1\n1 Junk\n")
    }

    @Test func assignmentKeepsExistingLettersAndFillsGaps() {
        var keywords = DovecotKeywords(names: [0: "A", 2: "C"])
        #expect(keywords.assign(["c", "B", "D"]).isEmpty)
        #expect(keywords.names == [0: "A", 1: "B", 2: "C", 3: "D"])
        #expect(keywords.index(of: "c") == 2)
    }

    @Test func overflowBeyond26() {
        var keywords = DovecotKeywords()
        let all = (0..<30).map { "k\($0)" }
        let overflow = keywords.assign(all)
        #expect(overflow == ["k26", "k27", "k28", "k29"])
        #expect(keywords.isFull)
    }
}
