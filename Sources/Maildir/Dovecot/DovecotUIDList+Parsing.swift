import MailModel

extension DovecotUIDList {
    /// Parse version 1 or 3 the way `maildir-uidlist.c` does, throwing on everything Dovecot
    /// calls a broken file. Two deviations, both reported: an invalid record field is
    /// dropped (Dovecot drops it and rewrites the file), and for a file name listed twice
    /// the later record wins (Dovecot's rule).
    public static func parse(_ bytes: [UInt8], path: String) throws(MaildirError) -> (DovecotUIDList, [MaildirDiagnostic]) {
        let lines = LineSplitter.lines(bytes)
        guard let header = lines.first, header.terminated, header.bytes.count >= 2 else {
            throw MaildirError(.malformed, path: path, line: 1, detail: "no complete header line")
        }
        let versionByte = header.bytes[header.bytes.startIndex]
        guard versionByte >= 0x30, versionByte <= 0x39, header.bytes[header.bytes.startIndex + 1] == 0x20 else {
            throw MaildirError(.malformed, path: path, line: 1, detail: "invalid version number")
        }
        let version = Int(versionByte - 0x30)
        let rest = header.bytes.dropFirst(2)
        var validity: UInt64 = 0
        var next: UInt64 = 0
        var guid: String?
        var others: [Field] = []
        switch version {
        case 1:
            let fields = rest.split(separator: 0x20)
            guard fields.count >= 2, let v = fields[0].decimal(maxDigits: 10), let n = fields[1].decimal(maxDigits: 10) else {
                throw MaildirError(.malformed, path: path, line: 1, detail: "version 1 header must be '1 <uidvalidity> <nextuid>'")
            }
            validity = v
            next = n
        case 3:
            for token in rest.split(separator: 0x20) {
                let key = token[token.startIndex]
                let value = String(decoding: token.dropFirst(), as: UTF8.self)
                switch key {
                case UInt8(ascii: "V"): validity = token.dropFirst().decimal(maxDigits: 10) ?? 0
                case UInt8(ascii: "N"): next = token.dropFirst().decimal(maxDigits: 10) ?? 0
                case UInt8(ascii: "G"):
                    guard value.utf8.count == 32, value.utf8.allSatisfy({ $0.isHexDigit }) else {
                        throw MaildirError(.malformed, path: path, line: 1, detail: "invalid mailbox GUID '\(value)'")
                    }
                    guid = value
                default: others.append(Field(key: Character(Unicode.Scalar(key)), value: value))
                }
            }
        default:
            throw MaildirError(.unsupportedVersion, path: path, line: 1, detail: "version \(version) (only 1 and 3 exist)")
        }
        guard validity > 0, validity <= UInt64(UInt32.max), next > 0, next < UInt64(UInt32.max) else {
            throw MaildirError(.malformed, path: path, line: 1, detail: "broken header (uidvalidity \(validity), next uid \(next))")
        }
        var records: [Record] = []
        var indexByBase: [String: Int] = [:]
        var diagnostics: [MaildirDiagnostic] = []
        var previous: UInt64 = 0
        for line in lines.dropFirst() {
            guard line.terminated else {
                diagnostics.append(MaildirDiagnostic(.warning, .skippedLine, path: path, line: line.number, "last line has no newline; Dovecot ignores it"))
                continue
            }
            var record = try parseRecord(line, version: version, path: path, diagnostics: &diagnostics)
            let uid = UInt64(record.uid.rawValue)
            guard uid > previous else {
                throw MaildirError(.malformed, path: path, line: line.number, detail: "UIDs not ordered (\(uid) after \(previous))")
            }
            if version == 1, uid >= next {
                throw MaildirError(.malformed, path: path, line: line.number, detail: "UID \(uid) not below next UID \(next)")
            }
            previous = uid
            record.base = MaildirFilename(record.base).base
            if let earlier = indexByBase[record.base] {
                diagnostics.append(MaildirDiagnostic(
                    .warning, .duplicateFileName, path: path, line: line.number, messageBase: record.base,
                    "listed again (UID \(records[earlier].uid) -> \(record.uid)); the later UID wins, as in Dovecot"))
                records.remove(at: earlier)
                indexByBase = Dictionary(uniqueKeysWithValues: records.enumerated().map { ($1.base, $0) })
            }
            indexByBase[record.base] = records.count
            records.append(record)
        }
        // Dovecot raises next_uid above the last record when a v3 header is too low.
        let nextUID = max(next, previous + 1)
        let list = DovecotUIDList(
            version: version, uidValidity: UIDValidity(UInt32(validity)), nextUID: UID(exactly: UInt32(nextUID)),
            mailboxGUID: guid, otherHeaderFields: others, records: records)
        return (list, diagnostics)
    }

    private static func parseRecord(
        _ line: LineSplitter.Line, version: Int, path: String, diagnostics: inout [MaildirDiagnostic]
    ) throws(MaildirError) -> Record {
        let bytes = line.bytes
        let digitsEnd = bytes.firstIndex { $0 < 0x30 || $0 > 0x39 } ?? bytes.endIndex
        guard digitsEnd < bytes.endIndex, bytes[digitsEnd] == 0x20, let number = bytes[..<digitsEnd].decimal(maxDigits: 10),
            number > 0, number < UInt64(UInt32.max)
        else {
            throw MaildirError(.malformed, path: path, line: line.number, detail: "invalid data: expected '<uid> '")
        }
        var index = digitsEnd
        while index < bytes.endIndex, bytes[index] == 0x20 { index += 1 }
        var fields: [Field] = []
        if version == 3 {
            while index < bytes.endIndex, bytes[index] != UInt8(ascii: ":") {
                let start = index
                while index < bytes.endIndex, bytes[index] != 0x20 { index += 1 }
                let key = bytes[start]
                if key >= UInt8(ascii: "A"), key <= UInt8(ascii: "Z") {
                    fields.append(Field(key: Character(Unicode.Scalar(key)), value: String(decoding: bytes[(start + 1)..<index], as: UTF8.self)))
                } else {
                    diagnostics.append(MaildirDiagnostic(.warning, .skippedLine, path: path, line: line.number, "invalid record field removed, as Dovecot does"))
                }
                while index < bytes.endIndex, bytes[index] == 0x20 { index += 1 }
            }
            guard index < bytes.endIndex else {
                throw MaildirError(.malformed, path: path, line: line.number, detail: "invalid extended fields: no ':' before the file name")
            }
            index += 1
        }
        guard index < bytes.endIndex, let name = String(validating: bytes[index...], as: UTF8.self) else {
            throw MaildirError(.malformed, path: path, line: line.number, detail: "missing or non-UTF-8 file name")
        }
        guard !name.contains("/") else {
            throw MaildirError(.malformed, path: path, line: line.number, detail: "broken file name '\(name)'")
        }
        return Record(uid: UID(exactly: UInt32(number)), fields: fields, base: name)
    }
}
