import Glibc

extension MaildirOwnership {
    /// An explicit owner as an admin writes it (`--owner`): `user`, `user:group`, or
    /// numeric `uid:gid`. A user alone also gives its primary group. Modes stay Dovecot's
    /// defaults (0700/0600).
    public static func parse(owner text: String) throws(MaildirError) -> MaildirOwnership {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let userPart = parts.first, !userPart.isEmpty else {
            throw MaildirError(.invalidArgument, path: text, detail: "expected user, user:group or uid:gid")
        }
        var uid: UInt32
        var gid: UInt32?
        if let number = UInt32(userPart) {
            uid = number
        } else if let account = SystemAccounts.lookup(name: userPart) {
            uid = account.uid
            gid = account.gid
        } else {
            throw MaildirError(.invalidArgument, path: text, detail: "no such user '\(userPart)'")
        }
        if parts.count == 2 {
            guard !parts[1].isEmpty else { throw MaildirError(.invalidArgument, path: text, detail: "empty group") }
            if let number = UInt32(parts[1]) {
                gid = number
            } else if let group = groupID(parts[1]) {
                gid = group
            } else {
                throw MaildirError(.invalidArgument, path: text, detail: "no such group '\(parts[1])'")
            }
        }
        guard let gid else {
            throw MaildirError(.invalidArgument, path: text, detail: "a numeric uid needs a group: uid:gid")
        }
        return MaildirOwnership(uid: uid, gid: gid)
    }

    static func groupID(_ name: String) -> UInt32? {
        var entry = group()
        var buffer = [CChar](repeating: 0, count: 16 * 1024)
        var result: UnsafeMutablePointer<group>?
        guard getgrnam_r(name, &entry, &buffer, buffer.count, &result) == 0, let found = result else { return nil }
        return found.pointee.gr_gid
    }
}
