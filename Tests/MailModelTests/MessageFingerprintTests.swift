import MailModel
import Testing

@Suite struct MessageFingerprintTests {
    @Test func knownVectors() {
        #expect(MessageFingerprint.of([UInt8]()).hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(MessageFingerprint.of(Array("abc".utf8)).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func streamingEqualsOneShot() {
        let message = Array((0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        var hasher = MessageFingerprint.Hasher()
        var index = 0
        while index < message.count {
            let end = min(index + 777, message.count)
            hasher.update(Array(message[index..<end]))
            index = end
        }
        #expect(hasher.byteCount == message.count)
        #expect(hasher.finalize() == MessageFingerprint.of(message))
    }

    @Test func hexRoundtrip() throws {
        let fingerprint = MessageFingerprint.of(Array("x".utf8))
        #expect(MessageFingerprint(hex: fingerprint.hex) == fingerprint)
        #expect(MessageFingerprint(hex: fingerprint.hex.uppercased()) == fingerprint)
        #expect(MessageFingerprint(hex: "zz") == nil)
    }
}
