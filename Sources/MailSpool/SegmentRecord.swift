import Crypto
import MailModel

/// One message in a segment: a header naming the payload's length and SHA-256, then the
/// payload, which is a complete queue file (`SpoolFormat`: envelope, body, END trailer).
///
/// ```
/// "MFREC/1 " <payload length: 16 decimal digits> " " <SHA-256 of the payload: 64 hex> LF
/// <payload>
/// ```
/// A record is valid only if the whole payload is present and matches its digest, so a tail
/// torn by a crash (a write the fdatasync never covered) is recognised and never delivered.
/// The magic also lets a scan find the next record after a damaged one.
enum SegmentRecord {
    static let magic = Array("MFREC/1 ".utf8)
    static let headerLength = magic.count + 16 + 1 + 64 + 1

    /// Header and payload, ready to append.
    static func encode(_ payload: [UInt8]) -> [UInt8] {
        let length = String(payload.count)
        let header = String(repeating: "0", count: 16 - length.count) + length + " " + LowercaseHex.string(SHA256.hash(data: payload)) + "\n"
        return magic + Array(header.utf8) + payload
    }

    /// The payload of the record at `offset` in `bytes`, or nil if it is missing, short or
    /// fails its digest.
    static func decode(_ bytes: [UInt8], at offset: Int) -> ArraySlice<UInt8>? {
        guard let length = payloadLength(bytes, at: offset) else { return nil }
        let start = offset + headerLength
        guard bytes.count - start >= length else { return nil }
        let payload = bytes[start..<(start + length)]
        let digest = bytes[(offset + magic.count + 17)..<(offset + magic.count + 17 + 64)]
        guard Array(LowercaseHex.string(SHA256.hash(data: payload)).utf8) == Array(digest) else { return nil }
        return payload
    }

    static func payloadLength(_ bytes: [UInt8], at offset: Int) -> Int? {
        guard offset >= 0, bytes.count - offset >= headerLength,
              bytes[offset..<(offset + magic.count)].elementsEqual(magic),
              bytes[offset + headerLength - 1] == 10, bytes[offset + magic.count + 16] == 32
        else { return nil }
        var length = 0
        for byte in bytes[(offset + magic.count)..<(offset + magic.count + 16)] {
            guard (48...57).contains(byte) else { return nil }
            length = length * 10 + Int(byte - 48)
        }
        return length
    }

    /// What a scan of a whole segment found.
    struct Scan: Equatable {
        /// Valid records: offset and total length (header included), in file order.
        var records: [(offset: Int, length: Int)] = []
        /// Byte ranges that hold no valid record (torn or damaged), in file order.
        var damaged: [Range<Int>] = []

        static func == (lhs: Scan, rhs: Scan) -> Bool {
            lhs.damaged == rhs.damaged && lhs.records.elementsEqual(rhs.records) { $0 == $1 }
        }
    }

    /// Every valid record of a segment. After a damaged stretch the scan resumes at the next
    /// magic that starts a valid record, so one bad record never hides the ones after it.
    static func scan(_ bytes: [UInt8]) -> Scan {
        var scan = Scan()
        var offset = 0
        var damageStart: Int?
        while offset < bytes.count {
            if let payload = decode(bytes, at: offset) {
                if let start = damageStart { scan.damaged.append(start..<offset) }
                damageStart = nil
                let length = headerLength + payload.count
                scan.records.append((offset, length))
                offset += length
                continue
            }
            if damageStart == nil { damageStart = offset }
            offset = nextMagic(in: bytes, after: offset) ?? bytes.count
        }
        if let start = damageStart { scan.damaged.append(start..<bytes.count) }
        return scan
    }

    static func nextMagic(in bytes: [UInt8], after offset: Int) -> Int? {
        var index = offset + 1
        while index + magic.count <= bytes.count {
            if bytes[index] == magic[0], bytes[index..<(index + magic.count)].elementsEqual(magic) { return index }
            index += 1
        }
        return nil
    }
}
