import MailTestSupport
import Testing
@testable import Maildir

/// Every parser gets random bytes and random mutations of valid input; none may crash.
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

    @Test func randomAndMutatedInputNeverCrashes() {
        var generator = SeededRandom.forTest("ParserFuzzTests")
        for round in 0..<2000 {
            let seed = Array(Self.seeds[round % Self.seeds.count].utf8)
            let bytes = round % 3 == 0
                ? (0..<Int.random(in: 0..<150, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                : Self.mutate(seed, using: &generator)
            _ = CourierKeywordList.parse(bytes, path: "k")
            _ = try? CourierPOP3SizeList.parse(bytes, path: "p")
            _ = CourierSubscriptions.parse(bytes, path: "s").entries(decoding: .detect, path: "s")
            _ = DovecotSubscriptions.parse(bytes, path: "d")
            _ = DovecotKeywords.parse(bytes, path: "dk")
            _ = try? CourierUIDDatabase.parse(bytes, path: "u")
            _ = try? DovecotUIDList.parse(bytes, path: "l")
            if let text = String(validating: bytes, as: UTF8.self) {
                _ = MaildirFilename(text).flags
                _ = try? MaildirFolderName.decode(name: text, decoding: .detect, path: "f")
                _ = CourierKeywordFileName(text)
            }
        }
    }
}
