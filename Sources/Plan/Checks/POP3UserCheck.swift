import Cutover

/// Accounts whose users read mail only over POP3: Courier's POP3 server keeps
/// `courierpop3dsizelist` in the Maildir, and its IMAP server `courierimapuiddb` in every
/// folder it opens, so a Maildir with the first and no second anywhere was never opened over
/// IMAP. For those users the cutover is about UIDLs, not folders: their clients remember
/// which UIDLs they fetched.
///
/// Run it before anything reads the accounts over IMAP (the plan's own accounts check and
/// every sync open INBOX, and Courier then writes `courierimapuiddb`).
public struct POP3UserCheck: Sendable {
    public var host: any Cutover.Host
    /// The Maildir below each home (Courier's default, `./Maildir`).
    public var maildir: String

    public init(host: any Cutover.Host, maildir: String = "Maildir") {
        self.host = host
        self.maildir = maildir
    }

    /// What Courier's files in one Maildir say.
    public enum Use: Sendable, Equatable {
        case pop3Only
        case imap
        /// Neither file: no one logged in to it through Courier yet (or another server).
        case unknown
    }

    public func run(accounts: [String]) async -> [PlanFinding] {
        var findings: [PlanFinding] = []
        var pop3Only: [String] = []
        for account in accounts {
            do {
                guard let home = try await OldHome.of(account, on: host) else { continue }
                if try await use(of: "\(home)/\(maildir)") == .pop3Only { pop3Only.append(account) }
            } catch {
                findings.append(PlanFinding(area: "pop3", subject: account, severity: .warning,
                                            message: "cannot read the account's Maildir on \(host.name): \(error)",
                                            action: "Look for courierpop3dsizelist and courierimapuiddb in its Maildir by hand."))
            }
        }
        for account in pop3Only {
            findings.append(PlanFinding(area: "pop3", subject: account, severity: .warning,
                message: "reads mail only over POP3 (courierpop3dsizelist, no courierimapuiddb in any folder): its client keeps the UIDLs of the messages it fetched, and only INBOX matters to it",
                action: "Keep the UIDLs: the UID-keeping Maildir path (maildir: to maildir:) with Dovecot's pop3_uidl_format = %08Xu%08Xv gives the same UIDLs Courier gave, else the client downloads every message again after the switch (twice, with \"leave on server\"). A POP3 session open at the hold ends without its QUIT, so nothing it marked is deleted; the client fetches again from the new server."))
        }
        if !accounts.isEmpty {
            findings.append(PlanFinding(area: "pop3", subject: host.name, severity: .ok,
                                        message: "\(pop3Only.count) of \(accounts.count) accounts read mail only over POP3"))
        }
        return findings
    }

    /// Courier's POP3 and IMAP files in the Maildir and its folders, in one `find`.
    public func use(of path: String) async throws -> Use {
        let output = try await host.run(HostCommand(["find", path, "-maxdepth", "2", "(", "-name", "courierpop3dsizelist", "-o", "-name", "courierimapuiddb", ")",
                                                     "-print"], timeout: .seconds(60)))
        // No Maildir at all is no use yet.
        guard output.status == 0 else { return .unknown }
        let names = output.standardOutput.split(separator: "\n").map { $0.split(separator: "/").last.map(String.init) ?? "" }
        if names.contains("courierimapuiddb") { return .imap }
        return names.contains("courierpop3dsizelist") ? .pop3Only : .unknown
    }
}
