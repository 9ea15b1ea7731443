import MailModel
import NIOCore
import SMTPCodec

/// Drives an `SMTPServerSession` with client bytes and records the wire output, the way a
/// connection would, with simple accept-everything policy hooks that tests override.
struct ServerTranscript {
    var session: SMTPServerSession
    var output = ""
    var messages: [(envelope: MailEnvelope, content: String)] = []
    var aborts = 0
    var closed = false
    var tlsStarts = 0
    var recipientPolicy: (ForwardPath) -> SMTPReply = { _ in .recipientOK }
    var commitReply: SMTPReply = .ok("Ok: queued")
    private var currentEnvelope: MailEnvelope?
    private var currentContent = ""

    init(_ configure: (inout SMTPServerSessionConfiguration) -> Void = { _ in }, start: Bool = true) {
        var configuration = SMTPServerSessionConfiguration(hostname: "mx.test")
        configure(&configuration)
        session = SMTPServerSession(configuration: configuration)
        if start {
            session.start()
            drain()
            output = ""
        }
    }

    /// Send client bytes, run the session, return what the server wrote in response.
    @discardableResult
    mutating func client(_ text: String) -> String {
        session.receive(ByteBuffer(string: text))
        drain()
        return takeOutput()
    }

    /// Send raw client bytes (8-bit, invalid UTF-8), run the session, return the response.
    @discardableResult
    mutating func client(bytes: [UInt8]) -> String {
        session.receive(ByteBuffer(bytes: bytes))
        drain()
        return takeOutput()
    }

    mutating func takeOutput() -> String {
        defer { output = "" }
        return output
    }

    mutating func drain() {
        while let event = session.nextEvent() {
            switch event {
            case .send(let reply): output += reply.wireString
            case .close: closed = true
            case .startTLS: tlsStarts += 1
            case .checkSender: session.senderChecked(.senderOK)
            case .checkRecipient(let recipient): session.recipientChecked(recipientPolicy(recipient))
            case .beginMessage(let envelope):
                currentEnvelope = envelope
                currentContent = ""
                session.messageBegun(rejection: nil)
            case .messageData(let chunk): currentContent += String(buffer: chunk)
            case .commitMessage:
                if commitReply.isPositiveCompletion, let currentEnvelope { messages.append((currentEnvelope, currentContent)) }
                session.messageCommitted(commitReply)
            case .abortTransaction:
                aborts += 1
                currentContent = ""
            }
        }
    }

    /// The reply codes in `text`, one per reply (continuation lines skipped).
    static func codes(_ text: String) -> [Int] {
        text.split(separator: "\r\n").compactMap { line in
            line.count >= 4 && line[line.index(line.startIndex, offsetBy: 3)] == "-" ? nil : Int(line.prefix(3))
        }
    }
}
