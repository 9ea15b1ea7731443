import ArgumentParser
import Foundation
import IMAPClient
import Logging
import MailferryConfig
import Migration
import Relay

/// `mailferry mirror purge URL`: remove the mirror's test copies before the final sync.
struct MirrorPurgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Remove the mirror's tagged copies (X-Mailferry-Mirror) from a mailbox on the new server (over IMAP, or its Dovecot Maildir on disk); dry run by default.",
        discussion: """
            Mirror copies are test traffic. Before the final sync they must go, or every message \
            received during the mirror phase would exist twice on the new server (the copy and \
            the synced original). This searches every folder of the account for the \
            X-Mailferry-Mirror header and checks each one's tag: a MAC of the copy's queue id \
            under the key the mirror keeps in its spool directory (mirror-tag.key). Only messages \
            whose tag verifies are mirror copies; with --apply exactly those are flagged \
            \\Deleted and removed with UID EXPUNGE (servers without UIDPLUS are refused, so no \
            other deleted mail is touched). A message whose tag does not verify (a sender put \
            the header in, or another mirror's key) is never deleted: it is listed by UID.

            The key: --config FILE or --spool DIR (the mirror's spool), or --tag-key FILE (a \
            copy of mirror-tag.key, mode 0600).

            A Dovecot Maildir on this host (maildir:/var/vmail/alice/Maildir, as root) is \
            purged on disk instead of over IMAP, through the same writer `sync` uses: each \
            verified copy's file and then its dovecot-uidlist record go in one commit under \
            Dovecot's dovecot-uidlist.lock (Dovecot may run meanwhile), the folder's next UID \
            never goes down, and no password is needed; new-server logins may stay closed. \
            This is what `cutover run` does for a maildir: destination. A verified copy that \
            Dovecot has not numbered yet (its LMTP saves without a UID while the uid list \
            is locked) is removed as a file under the same lock.

            One account per run; with a Dovecot master user, loop over the users:
              for u in $(cat users); do
                mailferry mirror purge imap://$u@new.example.com --spool /var/spool/mailferry \\
                    --master-user admin --master-password-file /root/master.pass --apply
              done

            Passwords: --password-file FILE or $MAILFERRY_PASSWORD (master: --master-password-file \
            or $MAILFERRY_MASTER_PASSWORD). Never on the command line.

            Exits 1 when messages with a tag that does not verify were left (listed), 74 when the tag key or the Maildir \
            cannot be read.

            \(ExitStatus.helpTable)
            """
    )

    @OptionGroup var account: IMAPAccountOptions

    @Option(name: .long, help: "The mirror configuration (TOML); the tag key is read from its spool directory.")
    var config: String?

    @Option(name: .long, help: "The mirror's spool directory (holds mirror-tag.key), instead of --config.")
    var spool: String?

    @Option(name: .long, help: "A copy of the mirror's mirror-tag.key (mode 0600), instead of --config or --spool.")
    var tagKey: String?

    @Flag(name: .long, help: "Delete the copies (default: only count them).")
    var apply = false

    func validate() throws {
        guard [config, spool, tagKey].compactMap({ $0 }).count == 1 else {
            throw ValidationError("give one of --config FILE, --spool DIR or --tag-key FILE: purge deletes only copies whose tag verifies under the mirror's key")
        }
    }

    func loadTag() throws -> MirrorTag {
        if let tagKey { return try MirrorTag.load(keyFile: tagKey) }
        let directory = try spool ?? MirrorConfiguration.load(path: config ?? "").spoolDirectory
        return try MirrorTag.load(keyFile: MirrorTag.keyPath(spoolDirectory: directory))
    }

    func run() async throws {
        var logger = Logger(label: "mailferry.mirror.purge") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        let tag: MirrorTag
        do {
            tag = try loadTag()
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data("mailferry mirror purge: \(error)\n".utf8))
            throw ExitStatus.usage.exitCode
        } catch {
            FileHandle.standardError.write(Data("mailferry mirror purge: \(error)\n".utf8))
            throw ExitStatus.ioError.exitCode
        }
        let report: MirrorPurge.Report
        if MaildirURL.isMaildir(account.url) {
            do {
                report = try await MirrorPurge.run(maildir: account.url, owner: nil, tag: tag, apply: apply)
            } catch let error as ConfigError {
                FileHandle.standardError.write(Data("mailferry mirror purge: \(error)\n".utf8))
                throw ExitStatus.usage.exitCode
            } catch {
                // The Maildir could not be read or written (permissions, a lock held too long).
                FileHandle.standardError.write(Data("mailferry mirror purge: \(error)\n".utf8))
                throw ExitStatus.ioError.exitCode
            }
        } else {
            report = try await imapPurge(tag: tag, logger: logger)
        }
        print(render(report))
        if report.unverified > 0 { throw ExitStatus.partial.exitCode }
    }

    private func imapPurge(tag: MirrorTag, logger: Logger) async throws -> MirrorPurge.Report {
        do {
            return try await MirrorPurge.run(try account.spec(), tag: tag, apply: apply, logger: logger)
        } catch let error as SecretSourceError {
            FileHandle.standardError.write(Data("mailferry mirror purge: \(error)\n".utf8))
            throw ExitStatus.usage.exitCode
        } catch let error as IMAPClientError {
            FileHandle.standardError.write(Data("mailferry mirror purge: \(error)\n".utf8))
            throw ExitStatus(error).exitCode
        }
    }

    /// The folders with copies or leftovers, then the account's line.
    func render(_ report: MirrorPurge.Report) -> String {
        var lines: [String] = []
        for folder in report.folders {
            lines.append("  \(folder.name): \(folder.copies) cop\(folder.copies == 1 ? "y" : "ies")")
            if !folder.unverified.isEmpty {
                lines.append("    left, tag does not verify (not made by this mirror): UID \(folder.unverified.map { String(describing: $0) }.joined(separator: ", "))")
            }
        }
        let verb = apply ? "removed" : "found (dry run; --apply removes them)"
        lines.append("\(report.user): \(report.total) mirror cop\(report.total == 1 ? "y" : "ies") \(verb)")
        if report.unverified > 0 {
            lines.append("\(report.user): \(report.unverified) message\(report.unverified == 1 ? "" : "s") with an X-Mailferry-Mirror header that does not verify: left in place")
        }
        return lines.joined(separator: "\n")
    }
}
