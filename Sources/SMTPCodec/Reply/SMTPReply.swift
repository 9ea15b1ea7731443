/// An SMTP reply: a three-digit code, an optional RFC 3463 enhanced status code and one or
/// more lines of text (RFC 5321 §4.2).
///
/// The enhanced code, when present, is written at the start of every line, as RFC 2034 asks.
public struct SMTPReply: Hashable, Sendable, CustomStringConvertible {
    public let code: Int
    public let enhancedStatus: EnhancedStatusCode?
    /// The text of each line, without the code, the enhanced code or CRLF.
    public let lines: [String]

    /// Initialize a reply. `lines` must not contain CR or LF; an empty array means one empty line.
    public init(code: Int, _ enhancedStatus: EnhancedStatusCode? = nil, lines: [String]) {
        precondition((200...599).contains(code), "SMTP reply codes are 2yz-5yz")
        self.code = code
        self.enhancedStatus = enhancedStatus
        self.lines = lines.isEmpty ? [""] : lines
    }

    /// Initialize a one-line reply.
    public init(code: Int, _ enhancedStatus: EnhancedStatusCode? = nil, _ text: String) {
        self.init(code: code, enhancedStatus, lines: [text])
    }

    /// 2yz.
    public var isPositiveCompletion: Bool { code / 100 == 2 }
    /// 3yz (354 after DATA).
    public var isPositiveIntermediate: Bool { code / 100 == 3 }
    /// 4yz: try again later.
    public var isTransientFailure: Bool { code / 100 == 4 }
    /// 5yz: do not try again.
    public var isPermanentFailure: Bool { code / 100 == 5 }

    /// All lines joined with a space: `550 5.1.1 user unknown`. Safe to show in reports.
    public var description: String {
        let prefix = enhancedStatus.map { "\(code) \($0)" } ?? "\(code)"
        let text = lines.joined(separator: " ")
        return text.isEmpty ? prefix : "\(prefix) \(text)"
    }

    /// The wire form, CRLF after every line. Replies are ASCII (RFC 5321 §4.2): any other
    /// character in a text, and any control character, is sent as `?`, so a sink's reply
    /// text can neither send 8-bit octets nor end the line early.
    public var wireString: String {
        // Built as bytes: every reply of every session passes here.
        let code = Array(String(self.code).utf8)
        let enhanced = enhancedStatus.map { Array("\($0) ".utf8) } ?? []
        var out: [UInt8] = []
        out.reserveCapacity(lines.reduce(0) { $0 + $1.utf8.count + code.count + enhanced.count + 3 })
        for (index, line) in lines.enumerated() {
            out += code
            out.append(index == lines.count - 1 ? UInt8(ascii: " ") : UInt8(ascii: "-"))
            out += enhanced
            for scalar in line.unicodeScalars {
                out.append((0x20...0x7E).contains(scalar.value) ? UInt8(scalar.value) : UInt8(ascii: "?"))
            }
            out += [13, 10]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
