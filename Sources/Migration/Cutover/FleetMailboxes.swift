import Foundation
import IMAPClient
import Logging
import MailferryConfig
import Relay
import StateStore
import SyncEngine
import Verify

/// The cutover's mailbox work done as `sync`, `verify` and `mirror purge` do it, over the
/// accounts and stores of the migration config.
public struct FleetMailboxes: CutoverMailboxes {
    public var configPath: String
    public var logger: Logger

    public init(configPath: String, logger: Logger) {
        self.configPath = configPath
        self.logger = logger
    }

    /// The migration config's request, with what the cutover adds on the UID-keeping Maildir
    /// path: the mirror's tag key for a `maildir:` destination while `[cutover.mirror]` is
    /// in use (its copies are kept out of the source's UIDs), and for a presync the settle
    /// window on a Courier `maildir:` source (`presync.settle`). The final delta runs with
    /// delivery held and no settle window: it numbers everything as Courier would.
    func request(_ pass: CutoverSyncPass?, config: MigrationConfig) -> MigrationRequest {
        var request = MigrationRequest()
        request.config = configPath
        guard let pass else { return request }
        if let spool = config.cutover?.mirror?.spool, MaildirURL.isMaildir(config.destination.url) {
            request.mirrorTagKeyFile = MirrorTag.keyPath(spoolDirectory: spool)
        }
        if pass == .presync, let settle = config.cutover?.settle, settle > .zero, Self.isCourierMaildir(config.source.url) {
            // Whole seconds, rounded up: the window is compared with delivery seconds.
            request.settleSeconds = Int((Double(settle.components.seconds) + Double(settle.components.attoseconds) / 1e18).rounded(.up))
        }
        return request
    }

    /// The `sync` command line a pass amounts to, for `cutover plan`.
    public static func commandLine(_ pass: CutoverSyncPass, configPath: String) -> String {
        var line = "mailferry sync --config \(configPath)"
        guard let config = try? MigrationConfig.load(path: configPath) else { return line }
        let request = FleetMailboxes(configPath: configPath, logger: Logger(label: "mailferry.cutover.plan")).request(pass, config: config)
        if let key = request.mirrorTagKeyFile { line += " --mirror-tag-key \(key)" }
        if let settle = request.settleSeconds { line += " --settle \(settle)" }
        return line
    }

    /// True for a Courier `maildir:` URL, the config's too (`{user}` and `{home}` in it).
    static func isCourierMaildir(_ url: String) -> Bool {
        let example = url.replacing("{user}", with: "user").replacing("{home}", with: "/home/user")
        guard MaildirURL.isMaildir(url), let parsed = try? MaildirURL(parsing: example) else { return false }
        return parsed.format ?? .courier == .courier
    }

    func setup(_ pass: CutoverSyncPass?, readOnly: Bool) throws -> MigrationSetup {
        let config = try MigrationConfig.load(path: configPath)
        return try MigrationSetup.resolve(request(pass, config: config), readOnly: readOnly, logger: logger)
    }

    func rules(_ setup: MigrationSetup) -> MappingRules {
        MappingRules(setup.config?.folders)
    }

    public func sync(_ pass: CutoverSyncPass) async throws -> CutoverSyncResult {
        let setup = try setup(pass, readOnly: false)
        var options = SyncOptions()
        options.foldersInParallel = setup.foldersInParallel
        options.deleteExtraneous = setup.config?.sync?.deleteExtraneous ?? false
        options.temporaryDirectory = (setup.stateDirectory as NSString).appendingPathComponent("tmp")
        let store = try SQLiteStateStore(directory: setup.stateDirectory)
        let reports = await setup.sync(store: store, rules: rules(setup), options: options, observer: SilentObserver(), rateLimiter: nil)
        var problems: [String] = []
        // Deferred mail is counted, not a problem: the final delta refuses to leave any.
        for report in reports where report.outcome != .complete && report.outcome != .deferred {
            problems.append("\(report.account): \(report.outcome.rawValue)" + (report.error.map { " (\($0))" } ?? "")
                + (report.failed > 0 ? ", \(report.failed) messages failed" : ""))
        }
        return CutoverSyncResult(
            copied: reports.map(\.copied).reduce(0, +), adoptedFolders: reports.map(\.adoptedFolders).reduce(0, +),
            deferred: reports.map(\.deferred).reduce(0, +), problems: problems)
    }

    public func verify() async throws -> (passed: Bool, detail: String) {
        let result = try await verify(marking: false)
        return (result.passed, result.detail)
    }

    /// One verify whose sessions also read every new folder's mark: the marks are what the
    /// verified store looked like, and no account is logged into twice inside the freeze.
    public func verifyAndMark() async throws -> (passed: Bool, detail: String, marks: NewMailboxMarks?) {
        try await verify(marking: true)
    }

    func verify(marking: Bool) async throws -> (passed: Bool, detail: String, marks: NewMailboxMarks?) {
        let setup = try setup(nil, readOnly: true)
        let statePath = (setup.stateDirectory as NSString).appendingPathComponent("state.sqlite")
        let store: (any SyncStateStore)? = FileManager.default.fileExists(atPath: statePath) ? try SQLiteStateStore(path: statePath) : nil
        // The UID-keeping path (Courier's files to Dovecot's) is proven with its UIDs: clients
        // keep their caches only if every UID and UIDVALIDITY is the same.
        let keepsUIDs = setup.config.map { Self.isCourierMaildir($0.source.url) && MaildirURL.isMaildir($0.destination.url) } ?? false
        var options = VerifyOptions()
        options.expectSameUIDs = keepsUIDs
        options.markDestinationFolders = marking
        let accounts = await setup.verify(store: store, rules: rules(setup), options: options)
        func fails(_ kind: Discrepancy.Kind) -> Bool {
            kind.isLossOrAlteration || (keepsUIDs && (kind == .uidDiffers || kind == .uidValidityDiffers))
        }
        let failed = accounts.filter { account in account.error != nil || !account.isIntact || account.discrepancies.contains { fails($0.kind) } }
        let checked = accounts.map(\.sourceMessages).reduce(0, +)
        guard failed.isEmpty else {
            let names = failed.prefix(5).map { account in
                account.account + (account.error.map { " (\($0))" } ?? ": \(account.discrepancies.filter { fails($0.kind) }.count) "
                    + (keepsUIDs ? "missing, altered or under another UID" : "missing or altered"))
            }
            return (false, "\(failed.count) of \(accounts.count) accounts not intact: \(names.joined(separator: "; "))", nil)
        }
        let detail = "\(accounts.count) accounts, \(checked) messages, nothing missing or altered" + (keepsUIDs ? ", same UIDs" : "")
        guard marking else { return (true, detail, nil) }
        var marks = NewMailboxMarks()
        for account in accounts { marks.accounts[account.account] = (account.destinationMarks ?? [:]) }
        return (true, detail, marks)
    }

    /// As `mirror purge --apply` for each account: only copies whose tag verifies under the
    /// mirror's key are removed; messages whose tag does not verify are left and listed. A
    /// `maildir:` destination is purged on disk through the UID-keeping writer (user logins
    /// on the new Dovecot stay closed until *open*, and `dovecot-uidlist` keeps no record of
    /// a purged copy, and a copy it has not numbered yet goes as a file); an IMAP one over IMAP.
    public func purgeMirrorCopies() async throws -> (removed: Int, left: [String]) {
        let config = try MigrationConfig.load(path: configPath)
        guard let spool = config.cutover?.mirror?.spool else { return (0, []) }
        let tag = try MirrorTag.load(keyFile: MirrorTag.keyPath(spoolDirectory: spool))
        var removed = 0
        var left: [String] = []
        for account in try config.allAccounts() {
            let user = account.destinationUser ?? account.user
            let url = try MigrationSetup.url(config.destination.url, user: user)
            let report: MirrorPurge.Report
            if MaildirURL.isMaildir(url) {
                report = try await MirrorPurge.run(maildir: url, owner: config.destination.owner, tag: tag, apply: true)
            } else {
                report = try await MirrorPurge.run(imapSpec(config, url: url, account: account, user: user), tag: tag, apply: true, logger: logger)
            }
            removed += report.total
            for folder in report.folders {
                left += folder.unverified.map { "\(user) \(folder.name) UID \($0) (tag does not verify)" }
            }
        }
        return (removed, left)
    }

    private func imapSpec(_ config: MigrationConfig, url: String, account: AccountConfig, user: String) throws -> IMAPAccountSpec {
        IMAPAccountSpec(
            url: try IMAPURL(parsing: url),
            password: SecretSource(fileFlag: "destination password_file", environmentVariable: "MAILFERRY_DESTINATION_PASSWORD"),
            passwordFile: (account.destinationPasswordFile ?? config.destination.passwordFile)?.replacing("{user}", with: user),
            masterUser: config.destination.masterUser,
            masterPassword: SecretSource(fileFlag: "destination master_password_file", environmentVariable: "MAILFERRY_DESTINATION_MASTER_PASSWORD"),
            masterPasswordFile: config.destination.masterPasswordFile,
            tls: IMAPTLSOptions(caFile: config.destination.caFile, insecure: config.destination.insecure ?? false),
            startTLS: config.destination.starttls ?? true, allowPlaintext: config.destination.allowPlaintext ?? false)
    }
}
