import MailModel

/// How to authenticate.
public enum IMAPCredentials: Sendable, CustomStringConvertible {
    /// `LOGIN user password`. For a Dovecot master user this is `LOGIN "user*master" masterpass`.
    case login(username: String, password: Secret)
    /// SASL PLAIN (RFC 4616): `authorizationIdentity` is the user to act as (the mailbox
    /// owner) when `username` is a master/admin user; `nil` to act as `username`.
    case plain(authorizationIdentity: String?, username: String, password: Secret)

    /// The mailbox owner these credentials act as.
    public var effectiveUser: String {
        switch self {
        case .login(let username, _): return username
        case .plain(let authorizationIdentity, let username, _): return authorizationIdentity ?? username
        }
    }

    public var description: String {
        switch self {
        case .login(let username, _): return "LOGIN \(username)"
        case .plain(let authz, let username, _): return "PLAIN \(username)" + (authz.map { " as \($0)" } ?? "")
        }
    }
}
