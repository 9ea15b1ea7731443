import Testing
@testable import Maildir

@Suite("Courier keywords")
struct CourierKeywordTests {
    let m1 = "1700000000.M1P1.host,S=100"
    let m2 = "1700000001.M2P1.host,S=200"

    func resolve(list: String?, updates: [String: String] = [:], files: [String] = []) -> [String: [String]] {
        let parsed = list.map { CourierKeywordList.parse(Array($0.utf8), path: "/k/:list") }
        let messages = [m1: [m1 + ":2,S"], m2: [m2 + ":2,RS"]]
        let chosen = CourierKeywordFileName.chooseUpdates(names: Array(updates.keys) + files, messages: messages)
        var contents: [String: CourierKeywordResolver.Update] = [:]
        for (base, name) in chosen {
            contents[base] = CourierKeywordResolver.Update(fileName: name, content: Array((updates[name] ?? "").utf8))
        }
        return CourierKeywordResolver(list: parsed, updates: contents, bases: [m1, m2], directory: "/k").keywordsByBase
    }

    @Test func case7ListOnly() {
        #expect(resolve(list: "$Label1\nJunk\n\n\(m1):0 1\n") == [m1: ["$Label1", "Junk"]])
    }

    @Test func case8PlainUpdateOverridesList() {
        #expect(resolve(list: "$Label1\nJunk\n\n\(m1):0 1\n", updates: [m1: "NonJunk\n"]) == [m1: ["NonJunk"]])
    }

    @Test func case9LargestAgedUpdateWins() {
        let result = resolve(list: nil, updates: [".5.\(m2)": "$Label1\n", ".3.\(m2)": "Junk\n"])
        #expect(result == [m2: ["$Label1"]])
    }

    @Test func plainUpdateBeatsAgedUpdates() {
        #expect(resolve(list: nil, updates: [".9.\(m2)": "Old\n", m2: "New\n"]) == [m2: ["New"]])
    }

    @Test func case10EmptyUpdateClearsKeywords() {
        #expect(resolve(list: "Junk\n\n\(m1):0\n", updates: [m1: ""]) == [:])
    }

    @Test func case11TmpFilesAreIgnored() {
        #expect(resolve(list: "Junk\n\n\(m1):0\n", updates: [".tmp.1700000000xyz": "evil\n"]) == [m1: ["Junk"]])
    }

    @Test func case13CaseVariantsMergeKeepingListSpelling() {
        #expect(resolve(list: "Junk\njunk\n\n\(m1):0 1\n\(m2):1\n") == [m1: ["Junk"], m2: ["Junk"]])
        #expect(resolve(list: "Junk\n\n\(m1):0\n", updates: [m2: "JUNK\n"]) == [m1: ["Junk"], m2: ["Junk"]])
    }

    @Test func updateFileEndsAtFirstEmptyLine() {
        #expect(resolve(list: nil, updates: [m1: "A\n\nB\n"]) == [m1: ["A"]])
    }

    @Test func forbiddenCharactersBecomeUnderscore() {
        #expect(resolve(list: "a b\nx]y\n\n\(m1):0 1\n") == [m1: ["a_b", "x_y"]])
    }

    @Test func listQuirks() {
        // Index out of range ignored; garbage index reads as 0 (atoi); later line wins;
        // a line for a missing file is ignored; no blank line means no message lines.
        #expect(resolve(list: "K0\nK1\n\n\(m1):1 7\n\(m1):x\ngone.host:0\n") == [m1: ["K0"]])
        #expect(resolve(list: "K0\n\(m1):0\n") == [:])
    }

    @Test func listDiagnosticsCarryLineNumbers() {
        let list = CourierKeywordList.parse(Array("K\n\nnocolon\n\(m1):x\n".utf8), path: "/k/:list")
        #expect(list.diagnostics.map(\.line) == [3, 4])
        #expect(list.entries.map(\.indexes) == [[0]])
    }

    @Test(arguments: [
        (":list", CourierKeywordFileName.list),
        ("abc", .update(target: "abc")),
        (".5.abc", .agedUpdate(generation: 5, target: "abc")),
        (".12.a.b", .agedUpdate(generation: 12, target: "a.b")),
        (".tmp.123abc", .ignored),
        (".0.abc", .ignored),
        (".5", .ignored),
        (".x.abc", .ignored),
    ])
    func fileNameClassification(_ name: String, _ expected: CourierKeywordFileName) {
        #expect(CourierKeywordFileName(name) == expected)
    }
}
