/// Courier-style Maildir file names: `<sec>.M<usec>P<pid>V<dev>I<ino>.<host>,S=<size>`
/// (see maildir-formats.md §1.2), plus `:2,<flags>` in `cur/`. Derived from the plan, so
/// they are unique within a corpus and the same on every run.
enum MaildirFileName {
    static func base(for plan: MessagePlan, size: Int, host: String) -> String {
        var r = SeededRandom(seed: UInt64(plan.index)).derived(0x6E61_6D65)
        let usec = r.int(0...999_999)
        let pid = r.int(1_000...32_000)
        let inode = hex(UInt64(0x10_0000 + plan.index), width: 16)
        return "\(plan.internalDate).M\(usec)P\(pid)V000000000000FD01I\(inode).\(host),S=\(size)"
    }

    /// `cur/<base>:2,<flags>` or `new/<base>`.
    static func relativePath(base: String, plan: MessagePlan) -> String {
        plan.inNew ? "new/" + base : "cur/" + base + ":2," + plan.flags
    }

    private static func hex(_ value: UInt64, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
