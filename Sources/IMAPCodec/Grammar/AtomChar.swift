/// RFC 3501's `ATOM-CHAR = <any CHAR except atom-specials>`: the one table the parser and
/// the encoder share.
enum AtomChar {
    /// `eightBit`: whether bytes above 0x7F count. The parser accepts them leniently
    /// (servers with UTF8=ACCEPT semantics send them in mailbox names); the encoder never
    /// writes them bare in an atom.
    @inline(__always)
    static func contains(_ byte: UInt8, eightBit: Bool) -> Bool {
        switch byte {
        case 0x00...0x20, 0x7F: return false
        case 0x80...0xFF: return eightBit
        // atom-specials beyond CTL and SP: "(" ")" "{" list-wildcards quoted-specials resp-specials
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "{"), UInt8(ascii: "%"),
            UInt8(ascii: "*"), UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "]"):
            return false
        default: return true
        }
    }
}
