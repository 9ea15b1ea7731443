import Cutover
import Foundation
import Logging
import Maildir
import MailferryConfig
import SyncEngine

/// The rollback's copy-back over the migration's accounts: the new side read through the
/// destination store `sync` writes to, the old Maildir written through the old host.
extension FleetMailboxes {
    public func markNewMailboxes() async throws -> NewMailboxMarks {
        let setup = try setup(nil, readOnly: true)
        var marks = NewMailboxMarks()
        for job in setup.jobs {
            marks.accounts[job.name] = try await job.destination.withSession { session in try await CopyBack.marks(session) }
        }
        return marks
    }

    public func copyBackSinceSwitch(marks: NewMailboxMarks, to old: any Cutover.Host) async throws -> Int {
        let setup = try setup(nil, readOnly: true)
        guard let config = setup.config else { throw ConfigError("the copy-back needs the migration config") }
        let copyBack = CopyBack(drop: MaildirDrop(host: old), rules: rules(setup))
        var written = 0
        for job in setup.jobs {
            let maildir = try Self.oldMaildir(config: config, user: job.name)
            let report = try await job.destination.withSession { session in
                try await copyBack.copy(account: job.name, from: session, marks: marks, oldMaildir: maildir)
            }
            if !report.intoInbox.isEmpty {
                logger.notice("copy-back \(job.name): folders with no old counterpart went to the old INBOX: \(report.intoInbox.joined(separator: ", "))")
            }
            written += report.written
        }
        return written
    }

    /// The account's Courier Maildir on the old host: `cutover.old.maildir`, else the path of
    /// a `maildir:` source; `{user}` and `{home}` (this host's account database) replaced.
    static func oldMaildir(config: MigrationConfig, user: String) throws -> String {
        let template: String
        if let configured = config.cutover?.old.maildir {
            template = "maildir:" + configured
        } else if MaildirURL.isMaildir(config.source.url) {
            template = config.source.url
        } else {
            throw ConfigError("the copy-back writes into the old Courier Maildirs and needs their path: set cutover.old.maildir "
                + "(e.g. \"/home/{user}/Maildir\"), since the source is \(config.source.url)")
        }
        return try MaildirURL(parsing: try MigrationSetup.url(template, user: user)).path
    }
}
