import MailModel
import Testing

@Suite struct AtomCharTests {
    @Test func excludesAtomSpecials() {
        for special in Array("(){ %*\"\\]".utf8) + [0x00, 0x1F, 0x7F] {
            #expect(!AtomChar.contains(special, eightBit: true), "byte \(special)")
        }
        for allowed in Array("aZ09$[+-.".utf8) {
            #expect(AtomChar.contains(allowed, eightBit: false), "byte \(allowed)")
        }
    }

    /// The parser's 8-bit leniency is the only difference between the two readings.
    @Test func eightBitOnlyDecidesBytesAbove7F() {
        for byte in UInt8.min...UInt8.max {
            let strict = AtomChar.contains(byte, eightBit: false)
            let lenient = AtomChar.contains(byte, eightBit: true)
            #expect(strict == (lenient && byte < 0x80), "byte \(byte)")
        }
        #expect(AtomChar.contains(0xC3, eightBit: true))
    }
}
