/// A user of the system's user database (`/etc/passwd`, or LDAP and the like through NSS):
/// on a Courier host, every mail user is one, with its mail in `~/Maildir`.
public struct SystemAccount: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public let uid: UInt32
    public let gid: UInt32
    public let home: String
    public let shell: String

    public init(name: String, uid: UInt32, gid: UInt32, home: String, shell: String) {
        self.name = name
        self.uid = uid
        self.gid = gid
        self.home = home
        self.shell = shell
    }

    /// The account's Maildir: `<home>/<maildirName>`.
    public func maildir(named maildirName: String = "Maildir") -> String {
        FileSystem.join(home, maildirName)
    }

    public var description: String { "\(name) (uid \(uid), \(home))" }
}
