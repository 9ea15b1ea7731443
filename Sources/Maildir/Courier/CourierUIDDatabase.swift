public import MailModel

/// Courier's `courierimapuiddb`: the IMAP UIDs of the messages in `cur/` and the folder's
/// UIDVALIDITY. It has one format, version 1:
///
/// ```
/// 1 <uidvalidity> <nextuid>\n
/// <uid> <base-filename>\n        (one per message, flags stripped)
/// ```
///
/// The parser follows Courier's reader (`imap/imapscanclient.c`): a header that is not
/// version 1 makes the whole file unusable (Courier would rebuild it with a new
/// UIDVALIDITY), record lines that do not parse are skipped (Courier skips them too), and
/// so is a last line without its newline (Courier's `readline` drops it). Every skipped
/// line is reported with its number.
public struct CourierUIDDatabase: Hashable, Sendable {
    public static let fileName = "courierimapuiddb"

    public struct Record: Hashable, Sendable {
        public let uid: UID
        /// The base file name (everything before the first `:`).
        public let base: String
        /// 1-based line in the file.
        public let line: Int

        public init(uid: UID, base: String, line: Int) {
            self.uid = uid
            self.base = base
            self.line = line
        }
    }

    public let uidValidity: UIDValidity
    /// The next UID as written in the header (not corrected).
    public let nextUID: UInt32
    /// Records in file order.
    public let records: [Record]
    /// Lines that were skipped, with the reason.
    public let diagnostics: [MaildirDiagnostic]

    public init(uidValidity: UIDValidity, nextUID: UInt32, records: [Record], diagnostics: [MaildirDiagnostic] = []) {
        self.uidValidity = uidValidity
        self.nextUID = nextUID
        self.records = records
        self.diagnostics = diagnostics
    }

    /// Parse the file content; throws when Courier itself would discard the file.
    public static func parse(_ bytes: [UInt8], path: String) throws(MaildirError) -> CourierUIDDatabase {
        let lines = LineSplitter.lines(bytes)
        guard let header = lines.first, header.terminated else {
            throw MaildirError(.malformed, path: path, line: 1, detail: "no complete header line")
        }
        // Courier reads the header with sscanf("%d %lu %lu"): blanks between the numbers
        // and anything after the third one are tolerated.
        let fields = header.bytes.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D })
        guard fields.count >= 3 else {
            throw MaildirError(.malformed, path: path, line: 1, detail: "header must be '1 <uidvalidity> <nextuid>'")
        }
        guard fields[0].elementsEqual("1".utf8) else {
            throw MaildirError(
                .unsupportedVersion, path: path, line: 1,
                detail: "version '\(String(decoding: fields[0], as: UTF8.self))' (Courier reads only version 1 and rebuilds anything else)")
        }
        guard let validity = fields[1].decimal(maxDigits: 10), validity > 0, validity <= UInt64(UInt32.max),
            let next = fields[2].decimal(maxDigits: 10), next <= UInt64(UInt32.max)
        else {
            throw MaildirError(.malformed, path: path, line: 1, detail: "UIDVALIDITY and next UID must be 32-bit numbers, UIDVALIDITY non-zero")
        }
        var records: [Record] = []
        var diagnostics: [MaildirDiagnostic] = []
        if fields.count > 3 {
            diagnostics.append(MaildirDiagnostic(.warning, .skippedLine, path: path, line: 1, "text after the header's third number ignored, as Courier does"))
        }
        func skip(_ line: LineSplitter.Line, _ why: String) {
            diagnostics.append(MaildirDiagnostic(.warning, .skippedLine, path: path, line: line.number, why))
        }
        for line in lines.dropFirst() {
            guard line.terminated else {
                skip(line, "last line has no newline (torn write); Courier ignores it")
                continue
            }
            guard let space = line.bytes.firstIndex(of: 0x20) else {
                skip(line, "no space between UID and file name")
                continue
            }
            guard let number = line.bytes[..<space].decimal(maxDigits: 10), number > 0, number < UInt64(UInt32.max),
                let uid = UID(UInt32(number))
            else {
                skip(line, "UID is not a number between 1 and 4294967294")
                continue
            }
            let nameBytes = line.bytes[(space + 1)...]
            guard let name = String(validating: nameBytes, as: UTF8.self), !name.isEmpty else {
                skip(line, "file name is empty or not UTF-8")
                continue
            }
            let base = MaildirFilename(name).base
            guard MaildirFilename.isValid(base) else {
                skip(line, "'\(name)' is not a valid message file name")
                continue
            }
            records.append(Record(uid: uid, base: base, line: line.number))
        }
        return CourierUIDDatabase(
            uidValidity: UIDValidity(UInt32(validity)), nextUID: UInt32(next), records: records, diagnostics: diagnostics)
    }

    /// The file as Courier writes it (records in the given order).
    public func serialized() -> [UInt8] {
        var text = "1 \(uidValidity.rawValue) \(nextUID)\n"
        for record in records {
            text += "\(record.uid.rawValue) \(record.base)\n"
        }
        return Array(text.utf8)
    }
}
