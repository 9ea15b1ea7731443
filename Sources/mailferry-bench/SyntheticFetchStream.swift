import CorpusGenerator
import NIOCore

/// A FETCH response stream shaped like the one Courier sends for
/// `UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[])` (see the captured
/// transcript in Tests/IMAPCodecTests/Fixtures), with message sizes drawn like the testbed
/// corpus: 70% 2-15 KB, 26% 15-50 KB, 4% 50-400 KB. Deterministic for a given seed.
enum SyntheticFetchStream {
    static func make(messages: Int, withBodies: Bool, seed: UInt64 = 42) -> ByteBuffer {
        var random = SeededRandom(seed: seed)
        var buffer = ByteBuffer()
        let line = Array("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\r\n".utf8)
        buffer.writeString("* OK [CAPABILITY IMAP4rev1 UIDPLUS CHILDREN NAMESPACE] Courier-IMAP ready.\r\n")
        for index in 1...messages {
            let bucket = random.next() % 100
            let size: Int
            switch bucket {
            case 0..<70: size = 2_000 + Int(random.next() % 13_000)
            case 70..<96: size = 15_000 + Int(random.next() % 35_000)
            default: size = 50_000 + Int(random.next() % 350_000)
            }
            let flags = index % 3 == 0 ? "\\Seen $Label1" : "\\Seen"
            buffer.writeString("* \(index) FETCH (UID \(index) FLAGS (\(flags)) INTERNALDATE \"16-Jul-2015 10:14:41 +0000\" RFC822.SIZE \(size)")
            if withBodies {
                buffer.writeString(" BODY[] {\(size)}\r\n")
                var written = 0
                while written < size {
                    let count = min(line.count, size - written)
                    buffer.writeBytes(line[0..<count])
                    written += count
                }
            }
            buffer.writeString(")\r\n")
        }
        buffer.writeString("A1 OK FETCH completed.\r\n")
        return buffer
    }
}
