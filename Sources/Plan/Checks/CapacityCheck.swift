import Foundation
import MailModel
import Migration

#if canImport(Glibc)
import Glibc
#endif

/// Capacity: whether the new mail store's file system holds the mailboxes the accounts
/// check measured on the old server, with headroom for Maildir's one file per message,
/// Dovecot's indexes and the mail that arrives meanwhile.
public enum CapacityCheck {
    /// Needed space is the measured size times this factor.
    public static let headroom = 1.25

    /// Findings for `store` (a directory on this host) against the accounts' sizes.
    public static func findings(accounts: [AccountPlan], store: String) -> [PlanFinding] {
        var info = statvfs()
        guard statvfs(store, &info) == 0 else {
            return [PlanFinding(area: "capacity", subject: store, severity: .warning,
                                message: "cannot read the free space of \(store): \(String(cString: strerror(errno)))",
                                action: "Run the plan on the new host, or check [plan] new_store.")]
        }
        let free = Int(info.f_bavail) * Int(info.f_frsize)
        return [evaluate(accounts: accounts, store: store, free: free)]
    }

    static func evaluate(accounts: [AccountPlan], store: String, free: Int) -> PlanFinding {
        let measured = accounts.compactMap(\.sourceBytes).reduce(0, +)
        let unmeasured = accounts.filter { $0.sourceBytes == nil }.count
        let needed = Int((Double(measured) * headroom).rounded(.up))
        let what = "the mailboxes take \(ByteFormatting.size(measured)) on the old server"
            + (unmeasured > 0 ? " (\(unmeasured) account\(unmeasured == 1 ? "" : "s") not measured)" : "")
            + "; with \(Int((headroom - 1) * 100)) % headroom \(ByteFormatting.size(needed)); \(store) has \(ByteFormatting.size(free)) free"
        if needed > free {
            return PlanFinding(area: "capacity", subject: store, severity: .blocker, message: what,
                               action: "Give the new mail store at least \(ByteFormatting.size(needed - free)) more space before the bulk copy.")
        }
        if unmeasured > 0 {
            return PlanFinding(area: "capacity", subject: store, severity: .warning, message: what,
                               action: "Fix the accounts that could not be read and run the plan again for a complete figure.")
        }
        return PlanFinding(area: "capacity", subject: store, severity: .ok, message: what)
    }
}
