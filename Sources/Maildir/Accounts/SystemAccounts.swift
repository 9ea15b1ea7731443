import Glibc
import Synchronization

/// Lists the system's accounts (through NSS, like `getent passwd`) for migrating every
/// mailbox of a host: the ones with a uid in a range and a Maildir in their home.
public enum SystemAccounts {
    /// Debian's range for ordinary users (`FIRST_UID`…`LAST_UID` in /etc/adduser.conf).
    public static let defaultUIDRange: ClosedRange<UInt32> = 1000...59999

    /// getpwent keeps one cursor per process; serialise its users.
    private static let cursor = Mutex<Void>(())

    /// Every account with a uid in `uidRange`, in uid order (then name).
    public static func list(uidRange: ClosedRange<UInt32> = defaultUIDRange) -> [SystemAccount] {
        cursor.withLock { _ in
            var accounts: [SystemAccount] = []
            setpwent()
            defer { endpwent() }
            var entry = passwd()
            var buffer = [CChar](repeating: 0, count: 16 * 1024)
            while true {
                var result: UnsafeMutablePointer<passwd>?
                let status = getpwent_r(&entry, &buffer, buffer.count, &result)
                if status == ERANGE {
                    buffer = [CChar](repeating: 0, count: buffer.count * 2)
                    continue
                }
                guard status == 0, let found = result else { break }
                if uidRange.contains(found.pointee.pw_uid), let account = SystemAccounts.account(found.pointee) {
                    accounts.append(account)
                }
            }
            return accounts.sorted { ($0.uid, $0.name) < ($1.uid, $1.name) }
        }
    }

    /// The accounts in `uidRange` whose home holds a Maildir (`<home>/<maildirName>/cur`),
    /// and the ones that do not (so that a report can name them).
    public static func withMaildir(
        uidRange: ClosedRange<UInt32> = defaultUIDRange, maildirName: String = "Maildir"
    ) -> (found: [SystemAccount], without: [SystemAccount]) {
        var found: [SystemAccount] = []
        var without: [SystemAccount] = []
        for account in list(uidRange: uidRange) {
            let hasMaildir = (try? FileSystem.isDirectory(FileSystem.join(account.maildir(named: maildirName), "cur"))) ?? false
            if hasMaildir { found.append(account) } else { without.append(account) }
        }
        return (found, without)
    }

    /// One account by name, or `nil`.
    public static func lookup(name: String) -> SystemAccount? {
        var entry = passwd()
        var buffer = [CChar](repeating: 0, count: 16 * 1024)
        var result: UnsafeMutablePointer<passwd>?
        guard getpwnam_r(name, &entry, &buffer, buffer.count, &result) == 0, let found = result else { return nil }
        return account(found.pointee)
    }

    static func account(_ entry: passwd) -> SystemAccount? {
        guard let name = string(entry.pw_name), let home = string(entry.pw_dir) else { return nil }
        return SystemAccount(name: name, uid: entry.pw_uid, gid: entry.pw_gid, home: home, shell: string(entry.pw_shell) ?? "")
    }

    static func string(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
        guard let pointer else { return nil }
        let bytes = UnsafeRawBufferPointer(start: pointer, count: strlen(pointer))
        return String(validating: bytes, as: UTF8.self)
    }
}
