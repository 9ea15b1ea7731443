public import MailModel

/// Dovecot's `dovecot-uidlist`: the UIDs of a Maildir folder. Written in version 3:
///
/// ```
/// 3 V<uidvalidity> N<nextuid>[ G<mailbox-guid>][ <other header fields>]\n
/// <uid>[ <Key><value>]... :<base-filename>\n
/// ```
///
/// Record keys are `A`–`Z`: `P` POP3 UIDL, `O` POP3 order, `S` physical size, `W` virtual
/// size, `G` message GUID. Version 1 (`1 <uidv> <next>` + `<uid> <name>`, the same as
/// Courier's `courierimapuiddb`) is read too. Anything Dovecot would treat as corruption
/// (and answer by renumbering every message) is rejected here with its line, so that this
/// code never writes such a file and never builds on one.
public struct DovecotUIDList: Hashable, Sendable {
    public static let fileName = "dovecot-uidlist"

    /// One `<Key><value>` field of a header or a record.
    public struct Field: Hashable, Sendable {
        /// `A`–`Z`.
        public let key: UInt8
        public let value: String

        public init(key: Character, value: String) {
            self.key = key.asciiValue ?? 0
            self.value = value
        }

        public var keyCharacter: Character { Character(Unicode.Scalar(key)) }
    }

    public struct Record: Hashable, Sendable {
        public let uid: UID
        /// Extension fields in file order.
        public var fields: [Field]
        /// The base file name (Dovecot writes everything before the first `:`).
        public var base: String

        public init(uid: UID, fields: [Field] = [], base: String) {
            self.uid = uid
            self.fields = fields
            self.base = base
        }

        public func value(_ key: Character) -> String? {
            fields.first { $0.keyCharacter == key }?.value
        }

        /// Set or (with `nil`) remove a field, keeping the position of an existing one.
        public mutating func set(_ key: Character, _ value: String?) {
            if let index = fields.firstIndex(where: { $0.keyCharacter == key }) {
                if let value { fields[index] = Field(key: key, value: value) } else { fields.remove(at: index) }
            } else if let value {
                fields.append(Field(key: key, value: value))
            }
        }

        /// `P`: the POP3 UIDL that overrides `pop3_uidl_format`.
        public var pop3UIDL: String? { value("P") }
        /// `O`: the POP3 listing position.
        public var pop3Order: Int? { value("O").flatMap { Int($0) } }
    }

    /// The version read (1 or 3); writing always produces 3.
    public let version: Int
    public var uidValidity: UIDValidity
    public var nextUID: UID
    /// `G`: the mailbox GUID, 32 hex digits; Dovecot adds one when missing.
    public var mailboxGUID: String?
    /// Other header fields, kept as found.
    public var otherHeaderFields: [Field]
    /// Records in ascending UID order.
    public var records: [Record]

    public init(uidValidity: UIDValidity, nextUID: UID, mailboxGUID: String? = nil, records: [Record] = []) {
        self.version = 3
        self.uidValidity = uidValidity
        self.nextUID = nextUID
        self.mailboxGUID = mailboxGUID
        self.otherHeaderFields = []
        self.records = records
    }

    init(version: Int, uidValidity: UIDValidity, nextUID: UID, mailboxGUID: String?, otherHeaderFields: [Field], records: [Record]) {
        self.version = version
        self.uidValidity = uidValidity
        self.nextUID = nextUID
        self.mailboxGUID = mailboxGUID
        self.otherHeaderFields = otherHeaderFields
        self.records = records
    }

    /// The file in version 3. Records must be in ascending UID order below `nextUID`;
    /// ``validate(path:)`` checks that before anything is written.
    public func serialized() -> [UInt8] {
        var out = "3 V\(uidValidity.rawValue) N\(nextUID.rawValue)"
        if let mailboxGUID { out += " G" + mailboxGUID }
        for field in otherHeaderFields { out += " " + String(field.keyCharacter) + field.value }
        out += "\n"
        for record in records {
            out += String(record.uid.rawValue)
            for field in record.fields { out += " " + String(field.keyCharacter) + field.value }
            out += " :" + record.base + "\n"
        }
        return Array(out.utf8)
    }

    /// Refuse what Dovecot would treat as corruption: UIDs not strictly ascending, a UID at
    /// or above `nextUID`, a duplicate base, a base with `/`, `:` or a newline, a field key
    /// outside `A`–`Z` or a field value with a space or newline.
    public func validate(path: String) throws(MaildirError) {
        var previous: UInt32 = 0
        var bases: Set<String> = []
        for record in records {
            guard record.uid.rawValue > previous else {
                throw MaildirError(.invalidArgument, path: path, detail: "UIDs not ascending at \(record.uid)")
            }
            guard record.uid < nextUID else {
                throw MaildirError(.invalidArgument, path: path, detail: "UID \(record.uid) is not below next UID \(nextUID)")
            }
            guard MaildirFilename.isValid(record.base), !record.base.contains(":"), bases.insert(record.base).inserted else {
                throw MaildirError(.invalidArgument, path: path, detail: "unusable or duplicate base '\(record.base)'")
            }
            for field in record.fields {
                guard field.key >= UInt8(ascii: "A"), field.key <= UInt8(ascii: "Z"),
                    !field.value.utf8.contains(where: { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0 })
                else {
                    throw MaildirError(.invalidArgument, path: path, detail: "bad field in record \(record.uid)")
                }
            }
            previous = record.uid.rawValue
        }
        guard nextUID.rawValue < UInt32.max else {
            throw MaildirError(.invalidArgument, path: path, detail: "next UID out of range")
        }
    }
}
