/// What the server does with a bare CR or bare LF inside DATA.
///
/// Whatever the policy, end-of-data is only ever the exact `<CR><LF>.<CR><LF>`, and output is
/// only ever CRLF with every leading dot doubled, so mailferry can be neither side of SMTP
/// smuggling (CVE-2023-51764 and friends): it never ends a message early on `<LF>.<LF>` and
/// never sends a sequence that another server could read as an early end.
public enum SMTPLineEndingPolicy: String, Hashable, Sendable, CaseIterable {
    /// Reject the message (550 5.6.11) after the real end-of-data. The default: a relay
    /// never changes the bytes it was given, so it refuses what it could only pass on altered.
    case reject
    /// Accept the message and store each bare CR or bare LF as CRLF (like Postfix's
    /// `smtpd_forbid_bare_newline = normalize`). For senders that cannot be fixed.
    case normalize
}
