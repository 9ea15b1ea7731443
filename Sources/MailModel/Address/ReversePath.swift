/// The sender in `MAIL FROM:<...>`: a mailbox, or the null path `<>` used by bounces
/// (RFC 5321 §4.5.5). Mail with a null reverse path never gets a notification.
public enum ReversePath: Hashable, Sendable, CustomStringConvertible {
    case null
    case mailbox(EmailAddress)

    /// The mailbox, or nil for `<>`.
    public var address: EmailAddress? {
        switch self {
        case .null: nil
        case .mailbox(let address): address
        }
    }

    /// The path in angle brackets, as written on the wire (`<>` or `<a@b>`).
    public var description: String {
        switch self {
        case .null: "<>"
        case .mailbox(let address): "<\(address)>"
        }
    }
}
