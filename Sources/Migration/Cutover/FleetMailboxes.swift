import Foundation
import IMAPClient
import Logging
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

    func setup(readOnly: Bool) throws -> MigrationSetup {
        var request = MigrationRequest()
        request.config = configPath
        return try MigrationSetup.resolve(request, readOnly: readOnly, logger: logger)
    }

    func rules(_ setup: MigrationSetup) -> MappingRules {
        let folders = setup.config?.folders
        return MappingRules(renames: folders?.map ?? [], patterns: folders?.mapRegex ?? [], include: folders?.include ?? [],
                            exclude: folders?.exclude ?? [])
    }

    public func sync() async throws -> (copied: Int, problems: [String]) {
        let setup = try setup(readOnly: false)
        var options = SyncOptions()
        options.foldersInParallel = setup.foldersInParallel
        options.deleteExtraneous = setup.config?.sync?.deleteExtraneous ?? false
        options.temporaryDirectory = (setup.stateDirectory as NSString).appendingPathComponent("tmp")
        let store = try SQLiteStateStore(directory: setup.stateDirectory)
        let reports = await setup.sync(store: store, rules: rules(setup), options: options, observer: SilentObserver(), rateLimiter: nil)
        var problems: [String] = []
        for report in reports where report.outcome != .complete {
            problems.append("\(report.account): \(report.outcome.rawValue)" + (report.error.map { " (\($0))" } ?? "")
                + (report.failed > 0 ? ", \(report.failed) messages failed" : ""))
        }
        return (reports.map(\.copied).reduce(0, +), problems)
    }

    public func verify() async throws -> (passed: Bool, detail: String) {
        let setup = try setup(readOnly: true)
        let statePath = (setup.stateDirectory as NSString).appendingPathComponent("state.sqlite")
        let store: (any SyncStateStore)? = FileManager.default.fileExists(atPath: statePath) ? try SQLiteStateStore(path: statePath) : nil
        let accounts = await setup.verify(store: store, rules: rules(setup), options: VerifyOptions())
        let failed = accounts.filter { !$0.isIntact }
        let checked = accounts.map(\.sourceMessages).reduce(0, +)
        guard failed.isEmpty else {
            let names = failed.prefix(5).map { account in
                account.account + (account.error.map { " (\($0))" } ?? ": \(account.discrepancies.filter { $0.kind.isLossOrAlteration }.count) missing or altered")
            }
            return (false, "\(failed.count) of \(accounts.count) accounts not intact: \(names.joined(separator: "; "))")
        }
        return (true, "\(accounts.count) accounts, \(checked) messages, nothing missing or altered")
    }

    /// Over IMAP, as `mirror purge --apply` for each account: only copies whose tag verifies
    /// under the mirror's key are removed. A Maildir destination has no IMAP session to
    /// purge through; the cutover stops there with the reason.
    public func purgeMirrorCopies() async throws -> Int {
        let config = try MigrationConfig.load(path: configPath)
        guard let spool = config.cutover?.mirror?.spool else { return 0 }
        guard !MaildirURL.isMaildir(config.destination.url) else {
            throw ConfigError("purging the mirror copies needs an imap:// destination (the mirror's copies are removed over IMAP); "
                + "with a maildir: destination run `mailferry mirror purge --apply` per account over the new Dovecot's IMAP")
        }
        let tag = try MirrorTag.load(keyFile: MirrorTag.keyPath(spoolDirectory: spool))
        var removed = 0
        for account in try config.allAccounts() {
            let user = account.destinationUser ?? account.user
            let spec = IMAPAccountSpec(
                url: try IMAPURL(parsing: try MigrationSetup.url(config.destination.url, user: user)),
                password: SecretSource(fileFlag: "destination password_file", environmentVariable: "MAILFERRY_DESTINATION_PASSWORD"),
                passwordFile: (account.destinationPasswordFile ?? config.destination.passwordFile)?.replacing("{user}", with: user),
                masterUser: config.destination.masterUser,
                masterPassword: SecretSource(fileFlag: "destination master_password_file", environmentVariable: "MAILFERRY_DESTINATION_MASTER_PASSWORD"),
                masterPasswordFile: config.destination.masterPasswordFile,
                tls: IMAPTLSOptions(caFile: config.destination.caFile, insecure: config.destination.insecure ?? false),
                startTLS: config.destination.starttls ?? true, allowPlaintext: config.destination.allowPlaintext ?? false)
            removed += try await MirrorPurge.run(spec, tag: tag, apply: true, logger: logger).total
        }
        return removed
    }
}
