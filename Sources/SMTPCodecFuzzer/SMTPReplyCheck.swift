import NIOCore
import SMTPCodec

/// Replies read by the client's parser; after an error the rest of the input is ignored (the
/// client closes the connection).
enum SMTPReplyCheck {
    struct Outcome: Equatable {
        var replies: [SMTPReply] = []
        var error: SMTPReplyParser.Error?
    }

    @Sendable static func check(_ bytes: UnsafeBufferPointer<UInt8>) {
        agree(bytes) { chunk in
            var parser = SMTPReplyParser()
            var outcome = Outcome()
            feed(bytes, chunk: chunk) { buffer in
                do throws(SMTPReplyParser.Error) {
                    while let reply = try parser.next(from: &buffer) { outcome.replies.append(reply) }
                    return true
                } catch {
                    outcome.error = error
                    return false
                }
            }
            return outcome
        }
    }
}
