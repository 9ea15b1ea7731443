import ArgumentParser
import Foundation
import MailferryConfig
import enum MailModel.ByteFormatting
import Migration
import StateStore
import SyncEngine

/// `mailferry sync`: copy mailboxes from the old server to the new one.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Copy mailboxes from the old server to the new one: incremental, resumable, never duplicating.",
        discussion: """
            One account:
              mailferry sync --from imap://alice@old.example:143 \\
                  --to imap://alice@new.example:143
            Many accounts (servers, accounts and rules in a TOML file, see examples/mailferry.toml; \
            examples/testbed.toml migrates the local testbed of scripts/testbed):
              mailferry sync --config mailferry.toml [--account alice]...
            Courier to Dovecot keeping UIDs, UIDVALIDITY and POP3 UIDLs (as root, no passwords):
              mailferry sync --from maildir:/home/alice/Maildir \\
                  --to maildir:/var/vmail/alice/Maildir --owner vmail
              mailferry sync --from imap://alice@old.example \\
                  --to maildir:/var/vmail/alice/Maildir --owner vmail

            Every message is copied with its exact bytes, flags, keywords and INTERNALDATE into the \
            matching folder (Courier's INBOX.a.b becomes a/b on Dovecot; Sent, Drafts, Trash, Junk and \
            Archive go to the destination's folders of the same role); subscriptions are copied too. \
            Run it as often as you like: a re-run copies only what is new and carries flag changes \
            over (a flag changed on the source wins; flags changed only on the destination stay). \
            Each message is identified by the SHA-256 of its bytes and every APPEND is journaled in \
            the state directory before it is sent, so a crash or kill at any moment is resumed by the \
            next run with nothing copied twice and nothing skipped. Nothing is ever deleted on either \
            side, except with --delete-extraneous, which removes only copies mailferry made whose \
            source message is gone (try it with --dry-run first).

            Complete means present: every run checks each destination folder (its UIDVALIDITY, \
            UIDNEXT and count, or its UID list when those changed) and copies again whatever an \
            earlier run copied that is no longer there: deleted by a user, a wiped or re-created \
            folder, a new destination with the old state directory (the state remembers which \
            destination it describes and starts afresh for another one). \
            --keep-destination-deletions leaves copies deleted on the destination deleted, and the \
            summary counts them. A folder whose mapping changed after it was copied (a rename rule, \
            a role folder the source gained) is refused rather than copied into a second folder.

            The summary has a line per account: folders, messages copied, unchanged (already there), \
            flags (copied earlier, flags brought in line now), failed (messages, and folders refused \
            as a whole, each listed below the table with the reason), bytes, time and the result: \
            complete, partial or failed.

            Passwords: --from-password-file/--to-password-file or $MAILFERRY_FROM_PASSWORD and \
            $MAILFERRY_TO_PASSWORD; with a master user, its password file or $MAILFERRY_TO_MASTER_PASSWORD.

            maildir:/path reads a Courier Maildir++ tree directly (the default for --from; it is \
            never changed, not even Courier's own caches) or writes a Dovecot Maildir directly \
            (the default for --to; ?format=courier|dovecot chooses). Writing Dovecot's Maildir \
            keeps every message's UID and each folder's UIDVALIDITY and next UID (from IMAP: those \
            of the source's SELECT and UID FETCH), and, from a Courier Maildir, the POP3 UIDLs, so \
            that mail and POP3 clients keep their caches. Messages Courier has not numbered yet \
            get the UIDs Courier would give them, remembered in the state directory. A destination \
            folder holding messages under another UIDVALIDITY is refused unless \
            --overwrite-uidvalidity. Folder names on disk are modified UTF-7 unless ?utf8=yes \
            (Dovecot's :UTF-8). Files are owned like the destination Maildir or its home \
            directory, or by --owner. Run the final pass with Courier stopped. In a config file, \
            [system_accounts] takes every shell account with a Maildir in its home as the accounts.

            \(ExitStatus.helpTable)
            """
    )

    @OptionGroup var endpoints: EndpointOptions
    @OptionGroup var fleet: FleetOptions
    @OptionGroup var folders: FolderRuleOptions
    @OptionGroup(title: "Maildir destination") var maildir: MaildirOptions
    @OptionGroup var logging: LoggingOptions

    @Flag(help: "Show the plan (folders, what would be copied, created and deleted) and change nothing.")
    var dryRun = false

    @Flag(help: "Remove destination messages that mailferry copied earlier and whose source message is gone.")
    var deleteExtraneous = false

    @Flag(help: "Leave copies that were deleted on the destination deleted instead of copying them again (the summary counts them).")
    var keepDestinationDeletions = false

    @Flag(help: "Do not carry flag changes over to messages copied earlier.")
    var noFlagSync = false

    @Option(help: ArgumentHelp("Read at most this many bytes per second from the source: 500K, 20MB.", valueName: "rate"))
    var bandwidth: String?

    @Flag(help: "Print the summary as JSON on standard output (progress still goes to standard error).")
    var json = false

    func validate() throws {
        if let bandwidth, ByteFormatting.parseSize(bandwidth) == nil {
            throw ValidationError("--bandwidth \(bandwidth) is not a rate such as 500K or 20MB")
        }
    }

    func run() async throws {
        let logger = logging.bootstrap()
        let setup: MigrationSetup
        do {
            // A dry run writes nothing, not even the UIDs a Courier Maildir source gives ahead of Courier.
            setup = try MigrationSetup.resolve(
                MigrationRequest(endpoints: endpoints, fleet: fleet, maildir: maildir), readOnly: dryRun, logger: logger)
        } catch let error as ConfigError {
            throw commandFailure(error.description, status: .usage)
        }
        var configured = SyncOptions()
        configured.dryRun = dryRun
        configured.deleteExtraneous = deleteExtraneous || (setup.config?.sync?.deleteExtraneous ?? false)
        configured.syncFlags = !noFlagSync
        configured.keepDestinationDeletions = keepDestinationDeletions
        configured.foldersInParallel = setup.foldersInParallel
        configured.temporaryDirectory = (setup.stateDirectory as NSString).appendingPathComponent("tmp")
        let options = configured
        let store: any SyncStateStore
        do {
            store = try SQLiteStateStore(directory: setup.stateDirectory)
        } catch {
            throw commandFailure("cannot open the state directory \(setup.stateDirectory): \(error)", status: .usage)
        }
        let rate = (bandwidth ?? setup.config?.sync?.bandwidth).flatMap(ByteFormatting.parseSize)
        let limiter = rate.map { ByteRateLimiter(bytesPerSecond: $0) }
        let rules = folders.rules(config: setup.config?.folders)
        let display = SyncProgressDisplay(quiet: logging.quiet, dryRun: dryRun)
        let reports = await setup.sync(store: store, rules: rules, options: options, observer: display, rateLimiter: limiter)
        let summary = SyncSummary(accounts: reports, dryRun: dryRun)
        if json {
            print(try summary.jsonString())
        } else {
            print(summary.text())
        }
        throw ExitCode(summary.exitCode)
    }
}
