/// A recipient in `RCPT TO:<...>`: a mailbox, or the bare `<Postmaster>` that every SMTP
/// server must accept (RFC 5321 §4.5.1).
public enum ForwardPath: Hashable, Sendable, CustomStringConvertible {
    case postmaster
    case mailbox(EmailAddress)

    /// The mailbox, or nil for a bare `<Postmaster>`.
    public var address: EmailAddress? {
        switch self {
        case .postmaster: nil
        case .mailbox(let address): address
        }
    }

    /// The path in angle brackets, as written on the wire.
    public var description: String {
        switch self {
        case .postmaster: "<Postmaster>"
        case .mailbox(let address): "<\(address)>"
        }
    }
}
