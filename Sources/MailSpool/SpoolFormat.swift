import Crypto
import Foundation
import MailModel

/// The queue file format. A file is complete only if its trailer is present and matches:
///
/// ```
/// MAILFERRY-SPOOL/1 LF
/// <envelope as one line of JSON> LF
/// <message bytes, exactly as they will be relayed>
/// LF "--END-- " <body length: 16 decimal digits> " " <SHA-256 of the body: 64 hex> LF
/// ```
/// Like Postfix's END record, a file without a valid trailer was torn and is never delivered.
enum SpoolFormat {
    static let magic = Array("MAILFERRY-SPOOL/1\n".utf8)
    static let trailerPrefix = Array("\n--END-- ".utf8)
    static let trailerLength = trailerPrefix.count + 16 + 1 + 64 + 1

    static func header(_ envelope: SpoolEnvelope) throws -> [UInt8] {
        magic + (try envelope.jsonLine())
    }

    static func trailer(bodyLength: Int, digest: SHA256.Digest) -> [UInt8] {
        let length = String(bodyLength)
        let padded = String(repeating: "0", count: 16 - length.count) + length
        return trailerPrefix + Array("\(padded) \(LowercaseHex.string(digest))\n".utf8)
    }

    /// Lower-case hex of a digest.
    /// A complete queue file for a message held in memory.
    static func file(_ envelope: SpoolEnvelope, body: [UInt8]) throws -> [UInt8] {
        try header(envelope) + body + trailer(bodyLength: body.count, digest: SHA256.hash(data: body))
    }

    /// Split a complete file into envelope and body, verifying the trailer.
    static func parse(_ bytes: [UInt8]) throws -> (SpoolEnvelope, ArraySlice<UInt8>) {
        guard bytes.count >= magic.count + trailerLength, Array(bytes[0..<magic.count]) == magic else {
            throw SpoolError(.corrupt, "missing spool header")
        }
        guard let newline = bytes[magic.count...].firstIndex(of: 10) else { throw SpoolError(.corrupt, "unterminated envelope") }
        let envelope: SpoolEnvelope
        do {
            envelope = try JSONDecoder().decode(SpoolEnvelope.self, from: Data(bytes[magic.count..<newline]))
        } catch {
            throw SpoolError(.corrupt, "unreadable envelope")
        }
        let bodyStart = newline + 1
        let trailerStart = bytes.count - trailerLength
        guard trailerStart >= bodyStart, Array(bytes[trailerStart..<(trailerStart + trailerPrefix.count)]) == trailerPrefix,
              bytes.last == 10
        else { throw SpoolError(.corrupt, "missing END trailer (torn write)") }
        let fields = String(decoding: bytes[(trailerStart + trailerPrefix.count)..<(bytes.count - 1)], as: UTF8.self).split(separator: " ")
        guard fields.count == 2, let length = Int(fields[0]), length == trailerStart - bodyStart else {
            throw SpoolError(.corrupt, "body length does not match the trailer")
        }
        let body = bytes[bodyStart..<trailerStart]
        let expected = trailer(bodyLength: length, digest: SHA256.hash(data: body))
        guard Array(bytes[trailerStart...]) == expected else { throw SpoolError(.corrupt, "checksum mismatch") }
        return (envelope, body)
    }
}
