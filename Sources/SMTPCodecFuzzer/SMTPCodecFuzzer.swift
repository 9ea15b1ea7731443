// libFuzzer targets over the SMTP codec: the command parser, the reply parser and the DATA
// decoder (see FuzzerDriver for how they are built and replayed).
//
// Every target is differential as well as a crash search: the input is fed all at once, in
// 3-byte pieces and one byte at a time, and all three must agree. A difference is a framing
// bug (a CR/LF or a dot split across reads) and traps like a crash, so libFuzzer keeps it.
import FuzzerSupport
import NIOCore
import SMTPCodec

let targets = [
    FuzzTarget("smtp-command", check: SMTPCommandCheck.check),
    FuzzTarget("smtp-reply", check: SMTPReplyCheck.check),
    FuzzTarget("smtp-data", check: SMTPDataCheck.check),
]
