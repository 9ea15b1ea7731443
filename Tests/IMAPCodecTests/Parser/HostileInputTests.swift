import IMAPCodec
import MailModel
import NIOCore
import Testing

/// Malformed or hostile server input must end in a typed error, never a crash, a hang or
/// unbounded memory.
@Suite struct HostileInputTests {
    static let small = ResponseParserOptions(lineLengthLimit: 64, literalSizeLimit: 16, streamedLiteralSizeLimit: 1000, nestingDepthLimit: 4, expectGreeting: false)

    static let fixtures: [ParseFixture] = [
        ParseFixture("line past the limit without LF", String(repeating: "a", count: 65), .failureKind(.lineTooLong(limit: 64)), options: small),
        ParseFixture("line past the limit with LF", "* OK " + String(repeating: "a", count: 80) + "\r\n", .failureKind(.lineTooLong(limit: 64)), options: small),
        ParseFixture("inline literal over the limit", "* LIST () \".\" {17}\r\n", .failureKind(.literalTooLarge(claimed: 17, limit: 16)), options: small),
        ParseFixture("body literal over the streamed limit", "* 1 FETCH (BODY[] {1001}\r\n", .failureKind(.literalTooLarge(claimed: 1001, limit: 1000)), options: small),
        ParseFixture("literal length overflow", "* 1 FETCH (BODY[] {99999999999999999999999}\r\n", .failureKind(.invalidLiteralHeader)),
        ParseFixture("huge literal claim with defaults", "* 1 FETCH (BODY[] {18446744073709551615}\r\n", .failure),
        ParseFixture("deep nesting", "* 1 FETCH (BODYSTRUCTURE (((((((x))))))))\r\n", .failureKind(.nestingTooDeep(limit: 4)), options: small),
        ParseFixture("deep nesting with defaults", "* 1 FETCH (BODYSTRUCTURE " + String(repeating: "(", count: 5000) + ")\r\n", .failure),
        ParseFixture("NUL in text", "* OK hello\0world\r\n", .failureKind(.nulByte)),
        ParseFixture("NUL in quoted", "* LIST () \".\" \"a\0\"\r\n", .failureKind(.nulByte)),
        ParseFixture("NUL in inline literal", "* LIST () \".\" {3}\r\na\0b\r\n", .failureKind(.nulByte)),
        ParseFixture("NUL as tag", "\0 OK x\r\n", .failure),
        ParseFixture("garbage", "\u{1}\u{2}\u{3}\r\n", .failure),
        ParseFixture("binary garbage", "\u{FF}\u{FE}\r\n", .failure),
        ParseFixture("empty line", "\r\n", .failure),
        ParseFixture("star only", "*\r\n", .failure),
        ParseFixture("bare CR in the middle", "A1 OK a\rb\r\n", .success([.tagged(TaggedResponse(tag: "A1", status: .ok, text: ResponseText(text: "a\rb")))])),
    ]

    @Test(arguments: fixtures)
    func refuses(_ fixture: ParseFixture) {
        #expect(fixture.check() == nil)
    }

    @Test func staysFailedAfterAnError() throws {
        var parser = ResponseParser(options: ResponseParserOptions(expectGreeting: false))
        var buffer = ByteBuffer(string: "\0\r\nA1 OK x\r\n")
        #expect(throws: IMAPParseError.self) { try parser.parse(&buffer) }
        #expect(throws: IMAPParseError.self) { try parser.parse(&buffer) }
    }

    @Test func errorDescriptionsHoldNoResponseBytes() {
        let secret = "SECRET-FOLDER-NAME"
        guard case .failure(let error) = ResponseFeeder.feed("* LIST () \"..\" \(secret)\r\n") else {
            Issue.record("expected a failure")
            return
        }
        #expect(!error.description.contains(secret))
        #expect(!"\(error)".contains(secret))
    }

    @Test func hugeUIDSetsParseInLinearTime() {
        // 500,000 single UIDs in one COPYUID code: quadratic merging would take hours.
        let set = stride(from: 1, through: 1_000_000, by: 2).map(String.init).joined(separator: ",")
        let input = "A1 OK [COPYUID 1 \(set) \(set)] done\r\n"
        guard case .complete(let events) = ResponseFeeder.feed(input), case .tagged(let tagged)? = events.first,
            case .copyUID(_, let source, _)? = tagged.text.code
        else {
            Issue.record("expected a COPYUID completion")
            return
        }
        #expect(source.ranges.count == 500_000)
    }

    @Test func manyLiteralsInOneFetchItemParseInLinearTime() {
        // An ENVELOPE-like item with 100,000 literals: reparsing the item at every literal
        // would be quadratic.
        let item = "(" + String(repeating: "{1}\r\na ", count: 100_000) + ")"
        let input = "* 1 FETCH (UID 3 ENVELOPE \(item) FLAGS (\\Seen))\r\n"
        let expected: [ResponseEvent] = [.fetch(.start(SequenceNumber(1)!)), .fetch(.attribute(.uid(UID(exactly: 3)))),
                                         .fetch(.attribute(.other("ENVELOPE"))), .fetch(.attribute(.flags([.seen]))), .fetch(.finish)]
        #expect(ResponseFeeder.feed(input) == .complete(expected))
    }

    @Test func manyLiteralsInOneResponseStayBounded() {
        // 10,000 one-byte literals: the frame limit stops the growth.
        let options = ResponseParserOptions(lineLengthLimit: 4096, expectGreeting: false)
        let input = "* ID (" + String(repeating: "{1}\r\na ", count: 10_000) + ")\r\n"
        guard case .failure(let error) = ResponseFeeder.feed(input, options: options) else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.kind == .lineTooLong(limit: 4096))
    }
}
