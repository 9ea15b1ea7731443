@testable import CorpusGenerator
import Testing

@Suite struct HeaderEncodingTests {
    @Test func encodesWords() {
        #expect(HeaderEncoding.bEncodedUTF8("Grüße") == "=?UTF-8?B?R3LDvMOfZQ==?=")
        #expect(HeaderEncoding.qEncodedLatin1("Jürgen Müller") == "=?ISO-8859-1?Q?J=FCrgen_M=FCller?=")
        #expect(HeaderEncoding.qEncodedLatin1("田中") == nil)
    }

    @Test func foldsLongValuesAtSpaces() {
        let folded = HeaderEncoding.fold(String(repeating: "word ", count: 40), firstLineUsed: 9)
        let lines = folded.split(separator: "\n")
        #expect(lines.count > 2)
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("\t") })
        #expect(lines.allSatisfy { $0.count <= 78 })
    }

    @Test(arguments: [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foobar", "Zm9vYmFy")])
    func base64MatchesRFC4648(input: String, expected: String) {
        var out: [UInt8] = []
        Base64Lines.encode(Array(input.utf8), to: &out, lineLength: nil)
        #expect(String(decoding: out, as: UTF8.self) == expected)
    }

    @Test func base64LinesAre76CharactersWithLF() {
        var out: [UInt8] = []
        Base64Lines.encode([UInt8](repeating: 7, count: 200), to: &out, lineLength: 76)
        let lines = String(decoding: out, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.dropLast().dropLast().allSatisfy { $0.count == 76 })
        #expect(lines.last == "")
        #expect(!out.contains(0x0D))
    }
}
