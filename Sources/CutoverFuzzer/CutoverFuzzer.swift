// libFuzzer target over the cutover proof's log reading: the line splitter, the Postfix and
// Dovecot line parser, the scanner's gap detection, and the proof and its renderers built
// from whatever the bytes parse to (see FuzzerDriver for how it is built and replayed).
import FuzzerSupport

let targets = [
    FuzzTarget("mail-log", check: MailLogChecks.scanAndProve)
]
