/// `courierpop3dsizelist` (root Maildir only): the POP3 UIDL and size cache of Courier's
/// POP3 server. Four layouts exist:
///
/// | version | header | record | UIDL shown |
/// |---|---|---|---|
/// | 0 | none | `<file> <size>` | the file name up to `:`, escaped (`+%02X`) |
/// | 1 | `/1 <nextuid>` | `<file> <size> <uid>` | `UID<uid>` |
/// | 2 | `/2 <nextuid> <uidv>` | `<file> <size> <uid>:<uidv>` | `UID<uid>-<uidv>`, `UID<uid>` if uidv is 0 |
/// | 3 | `/3 <nextuid> <uidv>` | `<file> <size> <uid>:<uidv>:<utf8>` | as version 2 |
///
/// Record lines are split at their last two spaces (`readpop3dlist` in `pop3dserver.c`), so
/// names may contain spaces. Lines that do not parse, and a last line without newline,
/// are skipped as Courier skips them. The POP3 counters are not the IMAP ones: the UIDL of
/// each message must be carried over as is.
public struct CourierPOP3SizeList: Hashable, Sendable {
    public static let fileName = "courierpop3dsizelist"

    public struct Record: Hashable, Sendable {
        /// The full `cur/` file name at the time Courier saved the list (with `:2,…`).
        public let fileName: String
        /// POP3 (CRLF) size.
        public let size: Int64
        /// POP3 UID counter (0 or absent for version 0).
        public let uid: UInt64
        public let uidValidity: UInt64
        /// The message's position in POP3 order (1-based record number).
        public let order: Int
        public let line: Int

        /// The UIDL Courier's POP3 server shows for this record (`print_uidl`).
        public var uidl: String {
            if uid != 0 { return uidValidity != 0 ? "UID\(uid)-\(uidValidity)" : "UID\(uid)" }
            return CourierPOP3SizeList.escapedUIDL(fileName)
        }
    }

    public let version: Int
    public let nextUID: UInt64?
    public let uidValidity: UInt64?
    public let records: [Record]
    public let diagnostics: [MaildirDiagnostic]

    public static func parse(_ bytes: [UInt8], path: String) throws(MaildirError) -> CourierPOP3SizeList {
        let lines = LineSplitter.lines(bytes)
        var version = 0
        var nextUID: UInt64?
        var uidValidity: UInt64?
        var body = lines[...]
        if let first = lines.first, first.bytes.first == UInt8(ascii: "/") {
            let fields = first.bytes.dropFirst().split(separator: 0x20)
            guard let versionField = fields.first, let number = versionField.decimal(maxDigits: 2), (1...3).contains(number) else {
                throw MaildirError(.unsupportedVersion, path: path, line: 1, detail: "header must be /1, /2 or /3")
            }
            version = Int(number)
            let needed = version == 1 ? 2 : 3
            guard fields.count >= needed, let next = fields[1].decimal() else {
                throw MaildirError(.malformed, path: path, line: 1, detail: "header /\(version) needs \(needed - 1) numbers")
            }
            nextUID = next
            if version >= 2 {
                guard let validity = fields[2].decimal() else {
                    throw MaildirError(.malformed, path: path, line: 1, detail: "UIDVALIDITY in the header is not a number")
                }
                uidValidity = validity
            }
            body = lines.dropFirst()
        }
        var records: [Record] = []
        var diagnostics: [MaildirDiagnostic] = []
        if version < 2 {
            diagnostics.append(MaildirDiagnostic(
                .info, .legacyPOP3List, path: path,
                "version \(version) list: Courier 5 would replace these UIDLs at the next POP3 login; the old ones are kept"))
        }
        for line in body {
            func skip(_ why: String) {
                diagnostics.append(MaildirDiagnostic(.warning, .skippedLine, path: path, line: line.number, why))
            }
            guard line.terminated else {
                if !line.isEmpty { skip("last line has no newline (torn write); Courier ignores it") }
                continue
            }
            if line.isEmpty { continue }
            guard let record = parseRecord(line, version: version, order: records.count + 1) else {
                skip("not '<file> <size>\(version == 0 ? "" : " <uid>…")' for version \(version)")
                continue
            }
            records.append(record)
        }
        return CourierPOP3SizeList(
            version: version, nextUID: nextUID, uidValidity: uidValidity, records: records, diagnostics: diagnostics)
    }

    private static func parseRecord(_ line: LineSplitter.Line, version: Int, order: Int) -> Record? {
        let bytes = line.bytes
        guard let lastSpace = bytes.lastIndex(of: 0x20) else { return nil }
        let nameEnd: Int
        let sizeField: ArraySlice<UInt8>
        var uid: UInt64 = 0
        var validity: UInt64 = 0
        if version == 0 {
            nameEnd = lastSpace
            sizeField = bytes[(lastSpace + 1)...]
        } else {
            guard let secondSpace = bytes[..<lastSpace].lastIndex(of: 0x20) else { return nil }
            nameEnd = secondSpace
            sizeField = bytes[(secondSpace + 1)..<lastSpace]
            let uidParts = bytes[(lastSpace + 1)...].split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
            switch version {
            case 1:
                guard uidParts.count == 1, let number = uidParts[0].decimal() else { return nil }
                uid = number
            default:
                // Courier appends ":0" and reads "%lu:%lu:%d": a missing UTF-8 flag is fine.
                guard uidParts.count >= 2, let number = uidParts[0].decimal(), let uidv = uidParts[1].decimal() else {
                    return nil
                }
                if uidParts.count >= 3, uidParts[2].decimal() == nil { return nil }
                uid = number
                validity = uidv
            }
        }
        guard nameEnd > bytes.startIndex, let size = sizeField.decimal(), size <= UInt64(Int64.max),
            let name = String(validating: bytes[..<nameEnd], as: UTF8.self)
        else { return nil }
        return Record(fileName: name, size: Int64(size), uid: uid, uidValidity: validity, order: order, line: line.number)
    }

    /// Version-0 UIDL: the name up to the first `:`, with bytes outside 0x21–0x7E and
    /// `'`, `"`, `+` written as `+%02X`.
    public static func escapedUIDL(_ fileName: String) -> String {
        var out = ""
        for byte in fileName.utf8 {
            if byte == UInt8(ascii: ":") { break }
            if byte < 0x21 || byte > 0x7E || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "+") {
                let hex = Array("0123456789ABCDEF".utf8)
                out += "+" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]], as: UTF8.self)
            } else {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return out
    }

    /// The record Courier would match to a file in `cur/` (same name up to a common `:`).
    public func recordsByMatchKey() -> [String: Record] {
        var map: [String: Record] = [:]
        for record in records {
            let key = CourierFilenameOrder.pop3Key(record.fileName)
            if map[key] == nil { map[key] = record }
        }
        return map
    }
}
