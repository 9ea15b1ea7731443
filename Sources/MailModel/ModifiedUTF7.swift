/// IMAP's modified UTF-7 for mailbox names (RFC 3501 §5.1.3).
///
/// Printable US-ASCII except `&` stands for itself, `&` is written `&-`, and everything
/// else is UTF-16BE in a base64 variant (`,` for `/`, no padding) between `&` and `-`.
/// The decoder is strict: it rejects what a conforming encoder never produces (raw
/// non-ASCII bytes, printable ASCII inside a base64 run, an unpaired surrogate, non-zero
/// padding bits, two adjacent base64 runs), because a lenient decoder lets two different
/// wire names map to one folder.
public enum ModifiedUTF7 {
    /// Why a wire name is not valid modified UTF-7.
    public struct DecodingError: Error, Hashable, Sendable, CustomStringConvertible {
        public enum Kind: Hashable, Sendable {
            case nonASCIIByte
            case unterminatedShift
            case invalidBase64
            case nonZeroPaddingBits
            case oddByteCount
            case unpairedSurrogate
            case directlyEncodableCharacterInShift
            case adjacentShifts
        }

        public let kind: Kind
        /// Byte offset into the input where the problem was found.
        public let offset: Int

        public var description: String { "invalid modified UTF-7 (\(kind)) at byte \(offset)" }
    }

    /// Encode a Unicode mailbox name.
    public static func encode(_ name: String) -> String {
        var out = ""
        var pending: [UInt16] = []
        func flush() {
            guard !pending.isEmpty else { return }
            out.append("&")
            out.append(base64(pending))
            out.append("-")
            pending.removeAll(keepingCapacity: true)
        }
        for scalar in name.unicodeScalars {
            if scalar.value >= 0x20 && scalar.value <= 0x7E {
                flush()
                out.append(scalar == "&" ? "&-" : String(scalar))
            } else {
                pending.append(contentsOf: String(scalar).utf16)
            }
        }
        flush()
        return out
    }

    /// Decode a wire name; throws ``DecodingError`` for anything a strict reader must refuse.
    public static func decode(_ wire: String) throws(DecodingError) -> String {
        try decode(bytes: Array(wire.utf8))
    }

    /// Decode wire bytes; throws ``DecodingError`` for anything a strict reader must refuse.
    public static func decode(bytes: [UInt8]) throws(DecodingError) -> String {
        var result = String.UnicodeScalarView()
        var index = 0
        var previousShiftEnd = -1
        while index < bytes.count {
            let byte = bytes[index]
            guard byte >= 0x20 && byte <= 0x7E else {
                throw DecodingError(kind: .nonASCIIByte, offset: index)
            }
            guard byte == UInt8(ascii: "&") else {
                result.append(Unicode.Scalar(byte))
                index += 1
                continue
            }
            let start = index
            index += 1
            var end = index
            while end < bytes.count && bytes[end] != UInt8(ascii: "-") { end += 1 }
            guard end < bytes.count else { throw DecodingError(kind: .unterminatedShift, offset: start) }
            if end == index {
                result.append("&")
            } else {
                if previousShiftEnd == start { throw DecodingError(kind: .adjacentShifts, offset: start) }
                let units = try decodeBase64(bytes[index..<end], offset: index)
                var iterator = units.makeIterator()
                var decoder = UTF16()
                decodeLoop: while true {
                    switch decoder.decode(&iterator) {
                    case .scalarValue(let scalar):
                        if scalar.value >= 0x20 && scalar.value <= 0x7E {
                            throw DecodingError(kind: .directlyEncodableCharacterInShift, offset: start)
                        }
                        result.append(scalar)
                    case .emptyInput: break decodeLoop
                    case .error: throw DecodingError(kind: .unpairedSurrogate, offset: start)
                    }
                }
                previousShiftEnd = end + 1
            }
            index = end + 1
        }
        return String(result)
    }

    /// True if `name` needs no shift at all (pure printable ASCII without `&`).
    public static func isDirectlyEncodable(_ name: String) -> Bool {
        name.utf8.allSatisfy { $0 >= 0x20 && $0 <= 0x7E && $0 != UInt8(ascii: "&") }
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,".utf8)

    private static func base64(_ units: [UInt16]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(units.count * 2)
        for unit in units { bytes.append(UInt8(unit >> 8)); bytes.append(UInt8(unit & 0xFF)) }
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 6 {
                bits -= 6
                out.append(alphabet[Int((buffer >> UInt32(bits)) & 0x3F)])
            }
        }
        if bits > 0 { out.append(alphabet[Int((buffer << UInt32(6 - bits)) & 0x3F)]) }
        return String(decoding: out, as: UTF8.self)
    }

    private static func sextet(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return UInt32(byte - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return UInt32(byte - UInt8(ascii: "a") + 26)
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0") + 52)
        case UInt8(ascii: "+"): return 62
        case UInt8(ascii: ","): return 63
        default: return nil
        }
    }

    private static func decodeBase64(_ chars: ArraySlice<UInt8>, offset: Int) throws(DecodingError) -> [UInt16] {
        var bytes: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for (position, char) in chars.enumerated() {
            guard let value = sextet(char) else {
                throw DecodingError(kind: .invalidBase64, offset: offset + position)
            }
            buffer = (buffer << 6) | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8((buffer >> UInt32(bits)) & 0xFF))
            }
        }
        // Leftover bits are padding: fewer than 6 of them, all zero.
        if bits >= 6 || (buffer & ((1 << UInt32(bits)) - 1)) != 0 {
            throw DecodingError(kind: .nonZeroPaddingBits, offset: offset)
        }
        guard bytes.count % 2 == 0 else { throw DecodingError(kind: .oddByteCount, offset: offset) }
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = 0
        while index < bytes.count {
            units.append(UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]))
            index += 2
        }
        return units
    }
}
