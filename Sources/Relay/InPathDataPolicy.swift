public import SMTPCodec

/// What the in-path relay accepts in DATA: whatever its primary accepts. In that mode
/// mailferry stands in front of the real MTA, so a message it refuses becomes a bounce to a
/// real sender (or a lost message), never just a missing test copy.
///
/// Postfix 3.7 with default settings (the testbed's old and new servers, checked with raw
/// SMTP) answers 250 to bare LF and bare CR line ends (`smtpd_forbid_bare_newline = no`), to
/// NUL octets, to lines of any length (`line_length_limit` only splits them into records) and
/// to header sections beyond `header_size_limit` (the excess is dropped, not refused). So in
/// that mode line ends are normalised to CRLF (what the primary stores them as), and NULs,
/// long lines and large header sections go to the primary and into the copy unchanged; the
/// primary's own reply decides. The message size limit stays (the same 10,240,000 octets as
/// Postfix's default `message_size_limit`; set `listen.message_size_limit` to the primary's).
/// The shadow endpoint keeps the strict defaults: it only receives copies, and a copy it
/// refuses bounces no one.
public enum InPathDataPolicy {
    /// Relax `session` for in-path mode. `lineEndings` is the operator's explicit choice, if
    /// any (default `normalize`).
    public static func apply(to session: inout SMTPServerSessionConfiguration, lineEndings: SMTPLineEndingPolicy? = nil) {
        session.lineEndingPolicy = lineEndings ?? .normalize
        session.acceptsNULInData = true
        session.textLineLimit = .max
        session.headerSizeLimit = .max
    }
}
