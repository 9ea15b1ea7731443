import ArgumentParser
import Foundation
import IMAPClient
import Logging
import Migration

/// `mailferry mirror purge URL`: remove the mirror's test copies before the final sync.
struct MirrorPurgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Remove the mirror's tagged copies (X-Mailferry-Mirror) from a mailbox on the new server; dry run by default.",
        discussion: """
            Mirror copies are test traffic. Before the final sync they must go, or every message \
            received during the mirror phase would exist twice on the new server (the copy and \
            the synced original). This searches every folder of the account for the \
            X-Mailferry-Mirror header that only the mirror adds, prints what it found, and with \
            --apply flags exactly those messages \\Deleted and removes them with UID EXPUNGE \
            (servers without UIDPLUS are refused, so no other deleted mail is touched).

            One account per run; with a Dovecot master user, loop over the users:
              for u in $(cat users); do
                mailferry mirror purge imap://$u@new.example.com --master-user admin \\
                    --master-password-file /root/master.pass --apply
              done

            Passwords: --password-file FILE or $MAILFERRY_PASSWORD (master: --master-password-file \
            or $MAILFERRY_MASTER_PASSWORD). Never on the command line.

            \(ExitStatus.helpTable)
            """
    )

    @OptionGroup var account: IMAPAccountOptions

    @Flag(name: .long, help: "Delete the copies (default: only count them).")
    var apply = false

    func run() async throws {
        var logger = Logger(label: "mailferry.mirror.purge") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        let report: MirrorPurge.Report
        do {
            report = try await MirrorPurge.run(try account.spec(), apply: apply, logger: logger)
        } catch let error as SecretSourceError {
            FileHandle.standardError.write(Data("mailferry mirror purge: \(error)\n".utf8))
            throw ExitStatus.usage.exitCode
        } catch let error as IMAPClientError {
            FileHandle.standardError.write(Data("mailferry mirror purge: \(error)\n".utf8))
            throw ExitStatus(error).exitCode
        }
        for folder in report.folders { print("  \(folder.name): \(folder.copies) cop\(folder.copies == 1 ? "y" : "ies")") }
        let verb = apply ? "removed" : "found (dry run; --apply removes them)"
        print("\(report.user): \(report.total) mirror cop\(report.total == 1 ? "y" : "ies") \(verb)")
    }
}
