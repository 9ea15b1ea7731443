public import IMAPClient
public import MailModel

/// How a store logs in to each session: the mailbox owner, and either the owner's password
/// or a master user's (Dovecot: SASL PLAIN with the owner as authorization identity, or
/// `LOGIN owner*master` when the server has no AUTH=PLAIN). The password is loaded once by
/// the caller and held as a ``Secret``, never printed.
public struct IMAPLogin: Sendable, CustomStringConvertible {
    public var user: String
    public var password: Secret
    public var masterUser: String?
    public var masterSeparator: String

    public init(user: String, password: Secret, masterUser: String? = nil, masterSeparator: String = "*") {
        self.user = user
        self.password = password
        self.masterUser = masterUser
        self.masterSeparator = masterSeparator
    }

    /// The credentials for a server that does (or does not) offer AUTH=PLAIN.
    public func credentials(serverOffersPlain: Bool) -> IMAPCredentials {
        guard let masterUser else { return .login(username: user, password: password) }
        if serverOffersPlain { return .plain(authorizationIdentity: user, username: masterUser, password: password) }
        return .login(username: user + masterSeparator + masterUser, password: password)
    }

    public var description: String { masterUser.map { "\(user) (via master user \($0))" } ?? user }
}
