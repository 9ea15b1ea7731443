import IMAPCodec
import MailModel
import NIOCore
import Testing

@Suite struct CommandEncoderTests {
    struct EncodeFixture: CustomTestStringConvertible, Sendable {
        let command: Command
        let options: CommandEncodingOptions
        /// Chunks as strings; a chunk that waits for `+` ends with "<wait>".
        let expected: [String]
        var testDescription: String { expected.joined() }

        init(_ command: Command, _ expected: String..., options: CommandEncodingOptions = CommandEncodingOptions()) {
            self.command = command
            self.options = options
            self.expected = expected
        }
    }

    static func mailbox(_ wire: String) -> MailboxPath { MailboxPath(wire: Array(wire.utf8), separator: ".") }
    static let plus = CommandEncodingOptions(literalMode: .nonSynchronizing)
    static let minus = CommandEncodingOptions(literalMode: .nonSynchronizingUpTo4096)
    static let utf8 = CommandEncodingOptions(utf8Accepted: true)

    static let fixtures: [EncodeFixture] = [
        EncodeFixture(.capability, "A1 CAPABILITY\r\n"),
        EncodeFixture(.login(username: "tbalice", password: Secret("testpass")), "A1 LOGIN tbalice testpass\r\n"),
        EncodeFixture(.login(username: "tbbench*tbmigrator", password: Secret("pa ss\"x")), "A1 LOGIN \"tbbench*tbmigrator\" \"pa ss\\\"x\"\r\n"),
        EncodeFixture(.login(username: "u", password: Secret("")), "A1 LOGIN u \"\"\r\n"),
        EncodeFixture(.login(username: "u", password: Secret("pässwörd")), "A1 LOGIN u {10}\r\n<wait>", "pässwörd\r\n"),
        EncodeFixture(.login(username: "u", password: Secret("pässwörd")), "A1 LOGIN u {10+}\r\npässwörd\r\n", options: plus),
        EncodeFixture(.login(username: "u", password: Secret("pässwörd")), "A1 LOGIN u {10+}\r\npässwörd\r\n", options: minus),
        EncodeFixture(.login(username: "u", password: Secret("pässwörd")), "A1 LOGIN u \"pässwörd\"\r\n", options: utf8),
        EncodeFixture(.login(username: "u", password: Secret("a\r\nb")), "A1 LOGIN u {4}\r\n<wait>", "a\r\nb\r\n", options: utf8),
        EncodeFixture(.authenticate(mechanism: "PLAIN", initialResponse: Secret("AHRidXNlcgBwYXNz")), "A1 AUTHENTICATE PLAIN AHRidXNlcgBwYXNz\r\n"),
        EncodeFixture(.authenticate(mechanism: "PLAIN", initialResponse: nil), "A1 AUTHENTICATE PLAIN\r\n"),
        EncodeFixture(.enable([.utf8Accept, .condStore]), "A1 ENABLE UTF8=ACCEPT CONDSTORE\r\n"),
        EncodeFixture(.id([IDParameter(key: "name", value: "mailferry"), IDParameter(key: "os", value: nil)]), "A1 ID (\"name\" \"mailferry\" \"os\" NIL)\r\n"),
        EncodeFixture(.id([]), "A1 ID NIL\r\n"),
        EncodeFixture(.namespace, "A1 NAMESPACE\r\n"),
        EncodeFixture(.list(reference: mailbox(""), pattern: Array("*".utf8), returnSpecialUse: true), "A1 LIST \"\" * RETURN (SPECIAL-USE)\r\n"),
        EncodeFixture(.list(reference: mailbox(""), pattern: Array("INBOX.%".utf8), returnSpecialUse: false), "A1 LIST \"\" INBOX.%\r\n"),
        EncodeFixture(.lsub(reference: mailbox(""), pattern: Array("a b*".utf8)), "A1 LSUB \"\" \"a b*\"\r\n"),
        EncodeFixture(.status(mailbox("INBOX.Entw&APw-rfe"), [.messages, .uidNext, .uidValidity, .size]),
            "A1 STATUS INBOX.Entw&APw-rfe (MESSAGES UIDNEXT UIDVALIDITY SIZE)\r\n"),
        EncodeFixture(.select(mailbox("INBOX.Sent Items"), condStore: false), "A1 SELECT \"INBOX.Sent Items\"\r\n"),
        EncodeFixture(.select(.inbox, condStore: true), "A1 SELECT INBOX (CONDSTORE)\r\n"),
        EncodeFixture(.select(mailbox("INBOX.Entwürfe"), condStore: false), "A1 SELECT {15}\r\n<wait>", "INBOX.Entwürfe\r\n"),
        EncodeFixture(.select(mailbox("INBOX.Entwürfe"), condStore: false), "A1 SELECT \"INBOX.Entwürfe\"\r\n", options: utf8),
        EncodeFixture(.examine(mailbox("a]b"), condStore: false), "A1 EXAMINE a]b\r\n"),
        EncodeFixture(.create(mailbox("Archive/2019"), specialUse: [.archive]), "A1 CREATE Archive/2019 (USE (\\Archive))\r\n"),
        EncodeFixture(.subscribe(mailbox("a\"b")), "A1 SUBSCRIBE \"a\\\"b\"\r\n"),
        EncodeFixture(.rename(from: mailbox("a"), to: mailbox("b")), "A1 RENAME a b\r\n"),
        EncodeFixture(.uidFetch(UIDSet(ranges: [1...5, 7...7, 9...UInt32.max]), [.uid, .flags, .internalDate, .rfc822Size, .modSeq], changedSince: nil),
            "A1 UID FETCH 1:5,7,9:* (UID FLAGS INTERNALDATE RFC822.SIZE MODSEQ)\r\n"),
        EncodeFixture(.uidFetch(UIDSet([UID(exactly: 3)]), [.uid, .body(.complete, peek: true)], changedSince: ModSeq(12)),
            "A1 UID FETCH 3 (UID BODY.PEEK[]) (CHANGEDSINCE 12)\r\n"),
        EncodeFixture(.uidFetch(UIDSet([UID(exactly: 3)]), [.body(SectionSpecifier(part: [1], kind: .mime), peek: false, partial: 0...99)], changedSince: nil),
            "A1 UID FETCH 3 (BODY[1.MIME]<0.100>)\r\n"),
        EncodeFixture(.uidStore(UIDSet([UID(exactly: 4)]), StoreOperation(.add, flags: [.seen, Flag("$Label1")]), unchangedSince: nil),
            "A1 UID STORE 4 +FLAGS.SILENT (\\Seen $Label1)\r\n"),
        EncodeFixture(.uidStore(UIDSet([UID(exactly: 4)]), StoreOperation(.replace, flags: [], silent: false), unchangedSince: ModSeq(9)),
            "A1 UID STORE 4 (UNCHANGEDSINCE 9) FLAGS ()\r\n"),
        EncodeFixture(.uidStore(UIDSet([UID(exactly: 4)]), StoreOperation(.remove, flags: [.deleted]), unchangedSince: nil),
            "A1 UID STORE 4 -FLAGS.SILENT (\\Deleted)\r\n"),
        EncodeFixture(.uidSearch(.and([.since(SearchDate(year: 2019, month: 2, day: 1)!), .not(.deleted), .larger(1000)])),
            "A1 UID SEARCH (SINCE 1-Feb-2019 NOT DELETED LARGER 1000)\r\n"),
        EncodeFixture(.uidSearch(.or(.keyword(Flag("$Forwarded")), .header("Message-ID", "<a@b>"))),
            "A1 UID SEARCH OR KEYWORD $Forwarded HEADER Message-ID \"<a@b>\"\r\n"),
        EncodeFixture(.uidSearch(.header("Subject", "Grüße")), "A1 UID SEARCH CHARSET UTF-8 HEADER Subject {7}\r\n<wait>", "Grüße\r\n"),
        EncodeFixture(.uidSearch(.modSeq(ModSeq(5))), "A1 UID SEARCH MODSEQ 5\r\n"),
        EncodeFixture(.uidExpunge(UIDSet([UID(exactly: 1), UID(exactly: 2)])), "A1 UID EXPUNGE 1:2\r\n"),
        EncodeFixture(.uidCopy(UIDSet([UID(exactly: 1)]), mailbox("INBOX.x")), "A1 UID COPY 1 INBOX.x\r\n"),
        EncodeFixture(.logout, "A1 LOGOUT\r\n"),
    ]

    static func render(_ encoded: EncodedCommand) -> [String] {
        encoded.chunks.map { String(buffer: $0.bytes) + ($0.waitForContinuation ? "<wait>" : "") }
    }

    @Test(arguments: fixtures)
    func encodes(_ fixture: EncodeFixture) throws {
        let encoded = try CommandEncoder.encode(fixture.command, tag: "A1", options: fixture.options)
        #expect(CommandEncoderTests.render(encoded) == fixture.expected)
    }

    @Test func logDescriptionHidesPasswordsAndPayloads() throws {
        let login = try CommandEncoder.encode(.login(username: "tbalice", password: Secret("hunter2")), tag: "A1")
        #expect(!login.redactedDescription.contains("hunter2"))
        #expect(login.redactedDescription == "A1 LOGIN tbalice [redacted]\r\n")
        let quoted = try CommandEncoder.encode(.login(username: "u", password: Secret("hunter 2")), tag: "A1")
        #expect(!quoted.redactedDescription.contains("hunter"))
        let literal = try CommandEncoder.encode(.login(username: "u", password: Secret("hünter2")), tag: "A1")
        #expect(!literal.redactedDescription.contains("nter2"))
        let auth = try CommandEncoder.encode(.authenticate(mechanism: "PLAIN", initialResponse: Secret("c2VjcmV0")), tag: "A1")
        #expect(!auth.redactedDescription.contains("c2VjcmV0"))
        #expect(!"\(Command.login(username: "u", password: Secret("hunter2")))".contains("hunter2"))
    }

    @Test func refusesWhatIMAPCannotCarry() {
        #expect(throws: CommandEncodingError.self) { try CommandEncoder.encode(.login(username: "u", password: Secret("a\0b")), tag: "A1") }
        #expect(throws: CommandEncodingError.self) { try CommandEncoder.encode(.uidFetch(UIDSet(), [.uid], changedSince: nil), tag: "A1") }
        #expect(throws: CommandEncodingError.self) {
            try CommandEncoder.encode(.uidStore(UIDSet([UID(exactly: 1)]), StoreOperation(.add, flags: [Flag("bad flag")]), unchangedSince: nil), tag: "A1")
        }
        let error = CommandEncodingError(.nulByte, field: "LOGIN password")
        #expect(error.description == "cannot send LOGIN password: it contains a NUL byte")
    }

    @Test func appendPiecesFollowTheLiteralMode() throws {
        let start = try CommandEncoder.encodeAppendStart(tag: "A9", mailbox: MailboxPath(wire: Array("INBOX.Sent".utf8), separator: "."))
        #expect(CommandEncoderTests.render(start) == ["A9 APPEND INBOX.Sent"])
        let date = InternalDate(imapString: "07-Feb-1994 21:52:25 -0800")!
        let sync = try CommandEncoder.encodeAppendMessageHeader(flags: [.seen, .recent, Flag("$Label1")], internalDate: date, byteCount: 310)
        #expect(String(buffer: sync.bytes) == " (\\Seen $Label1) \"07-Feb-1994 21:52:25 -0800\" {310}\r\n")
        #expect(sync.waitForContinuation)
        let plus = try CommandEncoder.encodeAppendMessageHeader(flags: [], internalDate: nil, byteCount: 310, options: CommandEncoderTests.plus)
        #expect(String(buffer: plus.bytes) == " {310+}\r\n")
        #expect(!plus.waitForContinuation)
        let bigMinus = try CommandEncoder.encodeAppendMessageHeader(flags: [], internalDate: nil, byteCount: 5000, options: CommandEncoderTests.minus)
        #expect(String(buffer: bigMinus.bytes) == " {5000}\r\n")
        #expect(bigMinus.waitForContinuation)
    }

    @Test func optionsFollowCapabilities() {
        #expect(CommandEncodingOptions(capabilities: [.imap4rev1, .literalPlus]).literalMode == .nonSynchronizing)
        #expect(CommandEncodingOptions(capabilities: [.literalMinus]).literalMode == .nonSynchronizingUpTo4096)
        #expect(CommandEncodingOptions(capabilities: [.imap4rev1]).literalMode == .synchronizing)
    }
}
