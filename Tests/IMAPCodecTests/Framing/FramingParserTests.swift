import IMAPCodec
import NIOCore
import Testing

@Suite struct FramingParserTests {
    func segments(_ input: String, chunk: Int? = nil) throws -> [String] {
        var parser = FramingParser(lineLengthLimit: 1000, literalSizeLimit: 1000, maximumChunkSize: 4)
        var buffer = ByteBuffer()
        var result: [String] = []
        let bytes = Array(input.utf8)
        var offset = 0
        repeat {
            let end = min(bytes.count, offset + (chunk ?? bytes.count))
            buffer.writeBytes(bytes[offset..<end])
            offset = end
            while let segment = try parser.parse(&buffer) {
                switch segment {
                case .line(let text): result.append("line:" + String(buffer: text))
                case .literalHeader(let text, let length, let binary): result.append("header\(binary ? "8" : ""):\(length):" + String(buffer: text))
                case .literalBytes(let data): result.append("bytes:" + String(buffer: data))
                }
            }
        } while offset < bytes.count
        return result
    }

    @Test(arguments: [nil, 1, 2, 3] as [Int?])
    func splitsLinesAndLiterals(chunk: Int?) throws {
        let input = "* 1 FETCH (BODY[] {6}\r\nab\r\ncd)\r\nA1 OK \"{5}\" x\r\n+ go\n"
        let expected = ["header:6:* 1 FETCH (BODY[] {6}", "bytes:ab\r\n", "bytes:cd", "line:)", "line:A1 OK \"{5}\" x", "line:+ go"]
        let got = try segments(input, chunk: chunk)
        // Literal chunks depend on how bytes arrived; compare their concatenation.
        func joined(_ list: [String]) -> [String] {
            var out: [String] = []
            for item in list {
                if item.hasPrefix("bytes:"), let last = out.last, last.hasPrefix("bytes:") {
                    out[out.count - 1] = last + item.dropFirst(6)
                } else {
                    out.append(item)
                }
            }
            return out
        }
        #expect(joined(got) == ["header:6:* 1 FETCH (BODY[] {6}", "bytes:ab\r\ncd", "line:)", "line:A1 OK \"{5}\" x", "line:+ go"])
        if chunk == nil { #expect(got == expected) }
    }

    @Test func recognisesLiteralForms() throws {
        #expect(try segments("a {0}\r\n") == ["header:0:a {0}"])
        #expect(try segments("a {2+}\r\nxy\r\n") == ["header:2:a {2+}", "bytes:xy", "line:"])
        #expect(try segments("a ~{1}\r\nz\r\n") == ["header8:1:a ~{1}", "bytes:z", "line:"])
        #expect(try segments("a {x}\r\n") == ["line:a {x}"])
        #expect(try segments("a {}\r\n") == ["line:a {}"])
        #expect(try segments("a 5}\r\n") == ["line:a 5}"])
        #expect(try segments("a {5} x\r\n") == ["line:a {5} x"])
    }

    @Test func refusesOverlongLinesAndLiterals() {
        var parser = FramingParser(lineLengthLimit: 8, literalSizeLimit: 10, maximumChunkSize: 4)
        var long = ByteBuffer(string: "123456789")
        #expect(throws: IMAPParseError.self) { try parser.parse(&long) }
        var parser2 = FramingParser(lineLengthLimit: 100, literalSizeLimit: 10, maximumChunkSize: 4)
        var big = ByteBuffer(string: "a {11}\r\n")
        #expect(throws: IMAPParseError.self) { try parser2.parse(&big) }
    }

    @Test func byteAtATimeScanIsNotQuadratic() throws {
        // 200 KB line fed one byte at a time finishes quickly because scanning resumes.
        var parser = FramingParser(lineLengthLimit: 1 << 20, literalSizeLimit: 10, maximumChunkSize: 4)
        var buffer = ByteBuffer()
        var early = 0
        for _ in 0..<200_000 {
            buffer.writeInteger(UInt8(ascii: "a"))
            if try parser.parse(&buffer) != nil { early += 1 }
        }
        #expect(early == 0)
        buffer.writeString("\r\n")
        guard case .line(let text)? = try parser.parse(&buffer) else {
            Issue.record("expected a line")
            return
        }
        #expect(text.readableBytes == 200_000)
    }
}
