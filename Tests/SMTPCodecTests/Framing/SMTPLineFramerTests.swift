import NIOCore
import SMTPCodec
import Testing

@Suite struct SMTPLineFramerTests {
    static func lines(_ chunks: [String], limit: Int = 512) -> [String] {
        var framer = SMTPLineFramer(limit: limit)
        var buffer = ByteBuffer()
        var out: [String] = []
        for chunk in chunks {
            buffer.writeString(chunk)
            while let line = framer.nextLine(from: &buffer) {
                switch line {
                case .tooLong: out.append("<too long>")
                case .complete(let bytes, let bareLF): out.append(String(buffer: bytes) + (bareLF ? "<LF>" : ""))
                }
            }
        }
        return out
    }

    @Test func splitsAcrossReads() {
        #expect(Self.lines(["MAIL FROM:<a@b>\r\nRC", "PT TO:<c@d>\r", "\n"]) == ["MAIL FROM:<a@b>", "RCPT TO:<c@d>"])
    }

    @Test func byteAtATime() {
        let text = "EHLO x\r\nNOOP\nQUIT\r\n"
        #expect(Self.lines(text.map { String($0) }) == ["EHLO x", "NOOP<LF>", "QUIT"])
    }

    /// §4 S-L1: a 512-octet command line (CRLF included) is accepted.
    @Test func acceptsExactly512() {
        let line = "NOOP " + String(repeating: "x", count: 505)
        #expect(Self.lines([line + "\r\n"]) == [line])
        #expect(Self.lines([line + "x\r\n"]) == ["<too long>"])
    }

    /// §4 S-L3: 64 KiB without CRLF; memory stays bounded and the framer recovers.
    @Test func discardsOverlongLineWithBoundedMemory() {
        var framer = SMTPLineFramer(limit: 512)
        var buffer = ByteBuffer()
        for _ in 0..<64 {
            buffer.writeString(String(repeating: "A", count: 1024))
            #expect(framer.nextLine(from: &buffer) == nil)
            #expect(buffer.readableBytes <= 1024)
        }
        buffer.writeString("tail\r\nQUIT\r\n")
        #expect(framer.nextLine(from: &buffer) == .tooLong)
        #expect(framer.nextLine(from: &buffer) == .complete(ByteBuffer(string: "QUIT"), bareLF: false))
    }
}
