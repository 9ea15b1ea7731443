public import NIOCore

/// Reads complete (possibly multi-line) replies from a server's byte stream.
///
/// ```
/// Reply-line = *( Reply-code "-" [ textstring ] CRLF ) Reply-code [ SP textstring ] CRLF
/// ```
/// Every line of one reply must carry the same code. Lines are capped at `lineLimit`
/// octets and replies at `maximumLines`, so a hostile server cannot make the client buffer
/// without bound. Lines ending in a bare LF are tolerated (a reply is not relayed data).
public struct SMTPReplyParser: Sendable {
    public struct Error: Swift.Error, Hashable, Sendable, CustomStringConvertible {
        public let reason: String
        public var description: String { "malformed SMTP reply: \(reason)" }
    }

    private var framer: SMTPLineFramer
    private var pendingCode: Int?
    private var pendingLines: [String] = []
    private let maximumLines: Int

    /// Initialize a parser.
    public init(lineLimit: Int = SMTPDefaults.replyLineLimit, maximumLines: Int = 100) {
        self.framer = SMTPLineFramer(limit: lineLimit)
        self.maximumLines = maximumLines
    }

    /// True while part of a multi-line reply has been read.
    public var isInsideReply: Bool { pendingCode != nil }

    /// The next complete reply, or nil if more bytes are needed.
    public mutating func next(from buffer: inout ByteBuffer) throws(Error) -> SMTPReply? {
        while let line = framer.nextLine(from: &buffer) {
            guard case .complete(let bytes, _) = line else { throw Error(reason: "line longer than \(framer.limit) octets") }
            let text = String(decoding: bytes.readableBytesView, as: UTF8.self)
            let utf8 = Array(text.utf8)
            guard utf8.count >= 3, utf8[0...2].allSatisfy({ (48...57).contains($0) }), let code = Int(text.prefix(3)),
                  (200...599).contains(code)
            else { throw Error(reason: "line does not start with a reply code") }
            if let pendingCode, pendingCode != code { throw Error(reason: "reply code changed inside a multi-line reply") }
            let separator: UInt8? = utf8.count > 3 ? utf8[3] : nil
            guard separator == nil || separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else {
                throw Error(reason: "no space or hyphen after the reply code")
            }
            pendingLines.append(utf8.count > 4 ? String(text.dropFirst(4)) : "")
            guard pendingLines.count <= maximumLines else { throw Error(reason: "more than \(maximumLines) lines") }
            if separator == UInt8(ascii: "-") {
                pendingCode = code
                continue
            }
            let lines = pendingLines
            pendingCode = nil
            pendingLines = []
            return SMTPReply.parsed(code: code, lines: lines)
        }
        return nil
    }
}

extension SMTPReply {
    /// Split a leading enhanced status code (`5.1.1 text`) off each line when the first line has one
    /// whose class matches the reply code.
    static func parsed(code: Int, lines: [String]) -> SMTPReply {
        func split(_ line: String) -> (EnhancedStatusCode, String)? {
            let token = line.prefix { $0 != " " }
            guard let status = EnhancedStatusCode(token), status.statusClass == code / 100 else { return nil }
            return (status, String(line.dropFirst(token.count).drop { $0 == " " }))
        }
        guard let (status, _) = split(lines[0]) else { return SMTPReply(code: code, lines: lines) }
        return SMTPReply(code: code, status, lines: lines.map { split($0)?.1 ?? $0 })
    }
}
