import MailTestSupport
import Testing
@testable import Maildir

/// Every parser gets random bytes and random mutations of valid input; none may crash, and
/// each says what it refuses against the file it was given.
@Suite("Parsers survive garbage")
struct ParserFuzzTests {
    static let seeds: [String] = [
        "$Label1\nJunk\n\n1.a:0 1\n",
        "/3 4 1690000000\nf:2,S 104 1:1690000000:0\n",
        "INBOX\nINBOX.Sent\n#shared.x\n",
        "V\t2\n\nINBOX\nSent\t2023\n",
        "0 $Label1\n1 Junk\n",
    ]

    static func mutate(_ bytes: [UInt8], using generator: inout some RandomNumberGenerator) -> [UInt8] {
        var result = bytes
        for _ in 0..<Int.random(in: 1...8, using: &generator) {
            let choice = Int.random(in: 0..<4, using: &generator)
            let position = result.isEmpty ? 0 : Int.random(in: 0..<result.count, using: &generator)
            switch choice {
            case 0 where !result.isEmpty: result[position] = UInt8.random(in: 0...255, using: &generator)
            case 1: result.insert([0x0A, 0x20, 0x3A, 0x2E, 0x09, 0x01, 0xFF][Int.random(in: 0..<7, using: &generator)], at: position)
            case 2 where !result.isEmpty: result.remove(at: position)
            default: result += result.prefix(Int.random(in: 0...10, using: &generator))
            }
        }
        return result
    }

    /// The seeds are valid input, read as what they say, so the mutations start from files
    /// the parsers accept rather than from garbage they would refuse at the first byte.
    @Test func seedsParseAsWritten() throws {
        let courierKeywords = CourierKeywordList.parse(Array(Self.seeds[0].utf8), path: "k")
        #expect(courierKeywords.keywordLines.map { String(decoding: $0, as: UTF8.self) } == ["$Label1", "Junk"])
        #expect(courierKeywords.entries.map(\.base) == ["1.a"] && courierKeywords.entries.first?.indexes == [0, 1])
        let sizes = try CourierPOP3SizeList.parse(Array(Self.seeds[1].utf8), path: "p")
        #expect(sizes.records.map(\.size) == [104] && sizes.records.map(\.uid) == [1])
        let courierSubscriptions = CourierSubscriptions.parse(Array(Self.seeds[2].utf8), path: "s")
        #expect(courierSubscriptions.lines.map(\.name) == ["INBOX", "INBOX.Sent", "#shared.x"])
        #expect(DovecotSubscriptions.parse(Array(Self.seeds[3].utf8), path: "d").entries == [["INBOX"], ["Sent", "2023"]])
        #expect(DovecotKeywords.parse(Array(Self.seeds[4].utf8), path: "dk").0.names == [0: "$Label1", 1: "Junk"])
    }

    /// None may crash, and whatever a parser says about the input (a refusal, a diagnostic)
    /// names the file it was given and, if any, a line of it.
    @Test func randomAndMutatedInputIsReportedAgainstItsFile() {
        var generator = SeededRandom.forTest("ParserFuzzTests")
        for round in 0..<2000 {
            let seed = Array(Self.seeds[round % Self.seeds.count].utf8)
            let bytes = round % 3 == 0
                ? (0..<Int.random(in: 0..<150, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                : Self.mutate(seed, using: &generator)
            let lines = bytes.count { $0 == 0x0A } + 1
            func reported(_ path: String, _ line: Int?, as expected: String) -> Bool {
                path == expected && (line.map { (1...lines).contains($0) } ?? true)
            }
            func check(_ diagnostics: [MaildirDiagnostic], _ expected: String) {
                for diagnostic in diagnostics {
                    #expect(reported(diagnostic.path, diagnostic.line, as: expected), "\(diagnostic) for \(bytes)")
                }
            }
            func check(_ parse: () throws(MaildirError) -> [MaildirDiagnostic], _ expected: String) {
                do {
                    check(try parse(), expected)
                } catch {
                    #expect(reported(error.path, error.line, as: expected), "\(error) for \(bytes)")
                }
            }
            check(CourierKeywordList.parse(bytes, path: "k").diagnostics, "k")
            check({ () throws(MaildirError) in try CourierPOP3SizeList.parse(bytes, path: "p").diagnostics }, "p")
            check(CourierSubscriptions.parse(bytes, path: "s").diagnostics, "s")
            check(CourierSubscriptions.parse(bytes, path: "s").entries(decoding: .detect, path: "s").diagnostics, "s")
            _ = DovecotSubscriptions.parse(bytes, path: "d")
            check(DovecotKeywords.parse(bytes, path: "dk").1, "dk")
            check({ () throws(MaildirError) in try CourierUIDDatabase.parse(bytes, path: "u").diagnostics }, "u")
            check({ () throws(MaildirError) in try DovecotUIDList.parse(bytes, path: "l").1 }, "l")
            if let text = String(validating: bytes, as: UTF8.self) {
                _ = MaildirFilename(text).flags
                check({ () throws(MaildirError) in _ = try MaildirFolderName.decode(name: text, decoding: .detect, path: "f"); return [] }, "f")
                _ = CourierKeywordFileName(text)
            }
        }
    }
}
