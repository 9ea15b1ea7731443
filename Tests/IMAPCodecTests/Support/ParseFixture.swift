import Testing
import IMAPCodec

/// One row of a parser table: input bytes and what must come out of them, checked with the
/// input fed all at once, one byte at a time, and in 7-byte pieces.
struct ParseFixture: CustomTestStringConvertible, Sendable {
    enum Expected: Sendable {
        case success([ResponseEvent])
        /// The input is a valid prefix: the parser waits for more (after these events).
        case incomplete([ResponseEvent])
        /// The input is invalid.
        case failure
        /// The input is invalid with exactly this error kind.
        case failureKind(IMAPParseError.Kind)
    }

    let name: String
    let input: [UInt8]
    let expected: Expected
    let options: ResponseParserOptions

    init(_ name: String, _ input: String, _ expected: Expected, options: ResponseParserOptions = ResponseParserOptions(expectGreeting: false)) {
        self.init(name, bytes: Array(input.utf8), expected, options: options)
    }

    init(_ name: String, bytes: [UInt8], _ expected: Expected, options: ResponseParserOptions = ResponseParserOptions(expectGreeting: false)) {
        self.name = name
        self.input = bytes
        self.expected = expected
        self.options = options
    }

    var testDescription: String { name }

    /// Returns a failure message, or nil when every feeding gave the expected result.
    func check() -> String? {
        for chunk in [nil, 1, 7] as [Int?] {
            let outcome = ResponseFeeder.feed(input, chunkSize: chunk, options: options)
            let label = chunk.map { "chunks of \($0)" } ?? "all at once"
            switch (expected, outcome) {
            case (.success(let events), .complete(let got)) where events == got: continue
            case (.incomplete(let events), .incomplete(let got)) where events == got: continue
            case (.failure, .failure): continue
            case (.failureKind(let kind), .failure(let error)) where error.kind == kind: continue
            default: return "\(name) (\(label)): expected \(expected), got \(outcome)"
            }
        }
        return nil
    }
}
