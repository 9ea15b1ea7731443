import MailModel
import Testing

@Suite struct ModifiedUTF7Tests {
    /// (decoded, wire) pairs: RFC 3501 §5.1.3 examples plus the corpus's folder names.
    static let pairs: [(String, String)] = [
        ("INBOX", "INBOX"),
        ("Entwürfe", "Entw&APw-rfe"),
        ("Privé", "Priv&AOk-"),
        ("日本語", "&ZeVnLIqe-"),
        ("~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-"),
        ("Tom & Jerry", "Tom &- Jerry"),
        ("&", "&-"),
        ("Ünïcödé.Sub Folder", "&ANw-n&AO8-c&APY-d&AOk-.Sub Folder"),
        ("😀", "&2D3eAA-"),
        ("", ""),
    ]

    @Test(arguments: pairs)
    func encodes(decoded: String, wire: String) {
        #expect(ModifiedUTF7.encode(decoded) == wire)
    }

    @Test(arguments: pairs)
    func decodes(decoded: String, wire: String) throws {
        #expect(try ModifiedUTF7.decode(wire) == decoded)
    }

    static let invalid: [(String, ModifiedUTF7.DecodingError.Kind)] = [
        ("Entw&APw", .unterminatedShift),
        ("Entw&AP!-rfe", .invalidBase64),
        ("&AGE-", .directlyEncodableCharacterInShift),  // "a" must be written directly
        ("&2D0-", .unpairedSurrogate),  // high surrogate alone
        ("&AOQ-&AOQ-", .adjacentShifts),  // must be one run
        ("&AOR-", .nonZeroPaddingBits),
        ("&AA-", .oddByteCount),
        ("Entwürfe", .nonASCIIByte),  // raw UTF-8 is not modified UTF-7
        ("tab\there", .nonASCIIByte),
    ]

    @Test(arguments: invalid)
    func rejects(wire: String, kind: ModifiedUTF7.DecodingError.Kind) {
        #expect(throws: ModifiedUTF7.DecodingError.self) { try ModifiedUTF7.decode(wire) }
        do {
            _ = try ModifiedUTF7.decode(wire)
        } catch {
            #expect(error.kind == kind)
        }
    }

    @Test func roundtripsEveryBMPBlockSample() throws {
        var name = ""
        for value in stride(from: 0x80, to: 0xD7FF, by: 97) { name.unicodeScalars.append(Unicode.Scalar(value)!) }
        name += "a&b"
        #expect(try ModifiedUTF7.decode(ModifiedUTF7.encode(name)) == name)
    }
}
