import NIOCore
import SMTPCodec

/// Command lines framed as the server frames them (512-octet limit), each parsed with the
/// SMTPUTF8 options the first byte picks.
enum SMTPCommandCheck {
    enum Line: Equatable {
        case command(SMTPCommand)
        case refused(SMTPReply)
        case tooLong
        case bareLF
    }

    @Sendable static func check(_ bytes: UnsafeBufferPointer<UInt8>) {
        let flags = bytes.first ?? 0
        let options = SMTPCommandParser.Options(smtpUTF8Advertised: flags & 1 == 1, transactionIsUTF8: flags & 2 == 2)
        agree(bytes) { chunk in
            var framer = SMTPLineFramer(limit: SMTPDefaults.commandLineLimit)
            var lines: [Line] = []
            feed(bytes, chunk: chunk) { buffer in
                while let line = framer.nextLine(from: &buffer) {
                    switch line {
                    case .tooLong:
                        lines.append(.tooLong)
                    case .complete(_, bareLF: true):
                        lines.append(.bareLF)
                    case .complete(let text, bareLF: false):
                        do throws(SMTPCommandParser.Error) {
                            lines.append(.command(try SMTPCommandParser.parse(text, options: options)))
                        } catch {
                            lines.append(.refused(error.reply))
                        }
                    }
                }
                return true
            }
            return lines
        }
    }
}
