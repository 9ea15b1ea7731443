import IMAPCodec
import MailModel
import Testing

@Suite struct GreetingAndStatusTests {
    static let greeting = ResponseParserOptions(expectGreeting: true)

    static let fixtures: [ParseFixture] = [
        ParseFixture(
            "Courier greeting",
            "* OK [CAPABILITY IMAP4rev1 UIDPLUS CHILDREN NAMESPACE ENABLE UTF8=ACCEPT] Courier-IMAP ready.\r\n",
            .success([.greeting(.ok, ResponseText(
                code: .capability([.imap4rev1, .uidPlus, .children, .namespace, .enable, .utf8Accept]),
                text: "Courier-IMAP ready."))]),
            options: greeting),
        ParseFixture("PREAUTH greeting", "* PREAUTH ready\r\n", .success([.greeting(.preauth, ResponseText(text: "ready"))]), options: greeting),
        ParseFixture("BYE greeting", "* BYE too many\r\n", .success([.greeting(.bye, ResponseText(text: "too many"))]), options: greeting),
        ParseFixture("greeting split", "* OK Dovecot ready.", .incomplete([]), options: greeting),
        ParseFixture("greeting CR only", "* OK ready\r", .incomplete([]), options: greeting),
        ParseFixture("tagged response instead of greeting", "A1 OK hi\r\n", .failureKind(.invalidGreeting), options: greeting),
        ParseFixture("NO greeting", "* NO go away\r\n", .failureKind(.invalidGreeting), options: greeting),
        ParseFixture("garbage greeting", "HTTP/1.1 400 Bad Request\r\n", .failureKind(.invalidGreeting), options: greeting),

        ParseFixture("tagged OK", "A1 OK LOGIN completed\r\n",
            .success([.tagged(TaggedResponse(tag: "A1", status: .ok, text: ResponseText(text: "LOGIN completed")))])),
        ParseFixture("tagged NO with code", "a.2 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n",
            .success([.tagged(TaggedResponse(tag: "a.2", status: .no, text: ResponseText(code: .authenticationFailed, text: "Authentication failed.")))])),
        ParseFixture("tagged BAD without text", "A3 BAD\r\n",
            .success([.tagged(TaggedResponse(tag: "A3", status: .bad, text: ResponseText(text: "")))])),
        ParseFixture("bare LF line end", "A1 OK done\n",
            .success([.tagged(TaggedResponse(tag: "A1", status: .ok, text: ResponseText(text: "done")))])),
        ParseFixture("tagged PREAUTH is invalid", "A1 PREAUTH x\r\n", .failure),
        ParseFixture("tag with plus is invalid", "A+1 OK x\r\n", .failure),
        ParseFixture("tagged incomplete", "A1 OK do", .incomplete([])),
        ParseFixture("unknown status word", "A1 MAYBE x\r\n", .failure),

        ParseFixture("untagged OK with UIDVALIDITY", "* OK [UIDVALIDITY 1700000000] Ok\r\n",
            .success([.untagged(.condition(.ok, ResponseText(code: .uidValidity(UIDValidity(1_700_000_000)), text: "Ok")))])),
        ParseFixture("untagged OK with UIDNEXT", "* OK [UIDNEXT 4392] Predicted next UID\r\n",
            .success([.untagged(.condition(.ok, ResponseText(code: .uidNext(UID(exactly: 4392)), text: "Predicted next UID")))])),
        ParseFixture("PERMANENTFLAGS with wildcard", "* OK [PERMANENTFLAGS (\\Answered \\Seen $Label1 \\*)] Limited\r\n",
            .success([.untagged(.condition(.ok, ResponseText(
                code: .permanentFlags([.answered, .seen, Flag("$Label1")], allowsNewKeywords: true), text: "Limited")))])),
        ParseFixture("HIGHESTMODSEQ", "* OK [HIGHESTMODSEQ 715194045007] Highest\r\n",
            .success([.untagged(.condition(.ok, ResponseText(code: .highestModSeq(ModSeq(715_194_045_007)), text: "Highest")))])),
        ParseFixture("NOMODSEQ", "* OK [NOMODSEQ] No permanent modsequences\r\n",
            .success([.untagged(.condition(.ok, ResponseText(code: .noModSeq, text: "No permanent modsequences")))])),
        ParseFixture("UNSEEN", "* OK [UNSEEN 12] first unseen\r\n",
            .success([.untagged(.condition(.ok, ResponseText(code: .unseen(SequenceNumber(12)!), text: "first unseen")))])),
        ParseFixture("ALERT", "* OK [ALERT] System shutdown in 10 minutes\r\n",
            .success([.untagged(.condition(.ok, ResponseText(code: .alert, text: "System shutdown in 10 minutes")))])),
        ParseFixture("APPENDUID", "A4 OK [APPENDUID 38505 3955] APPEND completed\r\n",
            .success([.tagged(TaggedResponse(tag: "A4", status: .ok, text: ResponseText(
                code: .appendUID(UIDValidity(38505), UIDSet([UID(exactly: 3955)])), text: "APPEND completed")))])),
        ParseFixture("APPENDUID of MULTIAPPEND", "A4 OK [APPENDUID 7 10:12] done\r\n",
            .success([.tagged(TaggedResponse(tag: "A4", status: .ok, text: ResponseText(
                code: .appendUID(UIDValidity(7), UIDSet(ranges: [10...12])), text: "done")))])),
        ParseFixture("COPYUID", "A5 OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n",
            .success([.tagged(TaggedResponse(tag: "A5", status: .ok, text: ResponseText(
                code: .copyUID(UIDValidity(38505), source: UIDSet(ranges: [304...304, 319...320]), destination: UIDSet(ranges: [3956...3958])),
                text: "Done")))])),
        ParseFixture("TRYCREATE", "A6 NO [TRYCREATE] Mailbox doesn't exist: Foo\r\n",
            .success([.tagged(TaggedResponse(tag: "A6", status: .no, text: ResponseText(code: .tryCreate, text: "Mailbox doesn't exist: Foo")))])),
        ParseFixture("OVERQUOTA", "A7 NO [OVERQUOTA] Quota exceeded (mailbox for user is full)\r\n",
            .success([.tagged(TaggedResponse(tag: "A7", status: .no, text: ResponseText(code: .overQuota, text: "Quota exceeded (mailbox for user is full)")))])),
        ParseFixture("READ-WRITE", "A8 OK [READ-WRITE] Select completed (0.001 + 0.000 secs).\r\n",
            .success([.tagged(TaggedResponse(tag: "A8", status: .ok, text: ResponseText(code: .readWrite, text: "Select completed (0.001 + 0.000 secs).")))])),
        ParseFixture("unknown code with text", "* NO [X-UNKNOWN some text] hmm\r\n",
            .success([.untagged(.condition(.no, ResponseText(code: .other("X-UNKNOWN", "some text"), text: "hmm")))])),
        ParseFixture("BADCHARSET list", "A9 NO [BADCHARSET (UTF-8 US-ASCII)] no\r\n",
            .success([.tagged(TaggedResponse(tag: "A9", status: .no, text: ResponseText(code: .badCharset(["UTF-8", "US-ASCII"]), text: "no")))])),
        ParseFixture("MODIFIED", "A1 OK [MODIFIED 7,9] Conditional STORE failed\r\n",
            .success([.tagged(TaggedResponse(tag: "A1", status: .ok, text: ResponseText(code: .modified(UIDSet(ranges: [7...7, 9...9])), text: "Conditional STORE failed")))])),
        ParseFixture("UIDVALIDITY 0 is invalid", "* OK [UIDVALIDITY 0] x\r\n", .failure),
        ParseFixture("code without closing bracket", "* OK [ALERT x\r\n", .failure),
        ParseFixture("APPENDUID without uid", "A1 OK [APPENDUID 5] x\r\n", .failure),
        ParseFixture("BYE", "* BYE Logging out\r\n", .success([.untagged(.condition(.bye, ResponseText(text: "Logging out")))])),
        ParseFixture("unbalanced quote in text", "* OK don't \"quote me\r\nA1 OK x\r\n", .success([
            .untagged(.condition(.ok, ResponseText(text: "don't \"quote me"))),
            .tagged(TaggedResponse(tag: "A1", status: .ok, text: ResponseText(text: "x"))),
        ])),
        ParseFixture("continuation with text", "+ Ready for literal data\r\n", .success([.continuation(text: "Ready for literal data")])),
        ParseFixture("bare continuation", "+\r\n", .success([.continuation(text: "")])),
        ParseFixture("empty challenge", "+ \r\n", .success([.continuation(text: "")])),
        ParseFixture("continuation missing space", "+x\r\n", .failure),
    ]

    @Test(arguments: fixtures)
    func parses(_ fixture: ParseFixture) {
        #expect(fixture.check() == nil)
    }
}
