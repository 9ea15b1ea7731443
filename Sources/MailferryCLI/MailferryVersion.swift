/// The version printed by `mailferry --version` and written into reports.
public enum MailferryVersion {
    /// The release number: reports and the Debian package's version carry it.
    public static let string = "0.1.0"

    /// What `mailferry --version` prints: the number and the commit the binary was built from
    /// (stamped at build time by Plugins/BuildCommitPlugin).
    public static let description = describe(number: string, commit: BuildCommit.hash, modified: BuildCommit.modified)

    /// `mailferry 0.1.0 (commit <40 hex digits>)`, with `, modified` when tracked files
    /// differed from that commit, or a plain statement that the commit is unknown: a binary
    /// never names a commit it may not come from.
    public static func describe(number: String, commit: String?, modified: Bool) -> String {
        guard let commit else {
            return "mailferry \(number) (commit unknown: not built from a git checkout)"
        }
        return "mailferry \(number) (commit \(commit)\(modified ? ", modified" : ""))"
    }
}
