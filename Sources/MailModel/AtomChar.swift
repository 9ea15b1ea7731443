/// RFC 3501's `ATOM-CHAR = <any CHAR except atom-specials>`: the one table that the IMAP
/// parser and encoder and ``Flag/isValidKeyword`` share. It lives here, the lowest layer
/// that needs it, so a keyword's validity and its encoding can never disagree.
public enum AtomChar {
    /// `eightBit`: whether bytes above 0x7F count. The parser accepts them leniently
    /// (servers with UTF8=ACCEPT semantics send them in mailbox names); the encoder and a
    /// keyword's validity never take them bare in an atom.
    ///
    /// Inlinable: the parser calls it once per byte of every atom it reads.
    @inlinable @inline(__always)
    public static func contains(_ byte: UInt8, eightBit: Bool) -> Bool {
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
