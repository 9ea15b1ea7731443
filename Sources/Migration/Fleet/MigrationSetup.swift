import Foundation
import IMAPClient
import Logging
import Maildir
import MailferryConfig

/// What `sync` and `verify` resolve from a request and its config file before doing
/// anything: the accounts with both stores (passwords loaded), and the run settings.
public struct MigrationSetup {
    public var jobs: [AccountJob]
    public var config: MigrationConfig?
    public var stateDirectory: String
    public var parallelAccounts: Int
    public var connectionsPerServer: Int
    public var foldersInParallel: Int

    /// - Parameter readOnly: verify and dry runs: a Maildir source reads its UID ledger but never writes it.
    public static func resolve(_ request: MigrationRequest, readOnly: Bool = false, logger: Logger) throws -> MigrationSetup {
        let config = try request.config.map { path throws(ConfigError) in try MigrationConfig.load(path: path) }
        var specs: [(String, EndpointSpec, EndpointSpec)]
        if let config {
            guard request.from.url == nil, request.to.url == nil else {
                throw ConfigError("--from/--to and --config exclude each other: the config names both servers")
            }
            specs = try accountSpecs(config: config, request: request, logger: logger)
        } else {
            guard let from = request.from.url, let to = request.to.url else {
                throw ConfigError("give --from URL and --to URL for one account, or --config FILE for many (see --help)")
            }
            let source = side(.source, url: from, request: request, config: nil)
            let destination = side(.destination, url: to, request: request, config: nil)
            let name = (try? IMAPURL(parsing: from).user) ?? (try? IMAPURL(parsing: to).user) ?? (try? MaildirURL(parsing: from).path) ?? from
            specs = [(name, source, destination)]
        }
        for index in specs.indices {
            specs[index].2.owner = request.owner ?? config?.destination.owner
            specs[index].2.overwriteUIDValidity = request.overwriteUIDValidity
            specs[index].2.mirrorTagKeyFile = request.mirrorTagKeyFile
            specs[index].1.settleSeconds = request.settleSeconds
            if let settle = request.settleSeconds, settle < 0 {
                throw ConfigError("--settle \(settle): give a number of seconds, 0 or more")
            }
            if request.settleSeconds != nil, !specs[index].1.isMaildir {
                throw ConfigError("--settle is for a maildir: source (Courier's files); \(specs[index].1.url) is not one")
            }
            if request.mirrorTagKeyFile != nil, !specs[index].2.isMaildir {
                throw ConfigError("--mirror-tag-key is for a maildir: destination; \(specs[index].2.url) is not one")
            }
            if specs[index].2.owner != nil, !specs[index].2.isMaildir {
                throw ConfigError("--owner is for a maildir: destination; \(specs[index].2.url) is not one")
            }
        }
        let stateDirectory = request.state ?? config?.sync?.state ?? ".mailferry"
        var jobs: [AccountJob] = []
        for (name, source, destination) in specs {
            let context = MaildirContext(
                ledgerDirectory: (stateDirectory as NSString).appendingPathComponent("maildir-uids"), updatesLedger: !readOnly)
            do {
                jobs.append(AccountJob(
                    name: name, source: try source.makeSource(logger: logger, context: context),
                    destination: try destination.makeDestination(logger: logger, context: context)))
            } catch let error as SecretSourceError {
                throw ConfigError("account \(name): \(error.description)")
            }
        }
        return MigrationSetup(
            jobs: jobs, config: config, stateDirectory: stateDirectory,
            parallelAccounts: request.jobs ?? config?.sync?.jobs ?? 1,
            connectionsPerServer: request.maxConnectionsPerServer ?? config?.sync?.maxConnectionsPerServer ?? 4,
            foldersInParallel: request.foldersInParallel ?? config?.sync?.foldersInParallel
                ?? jobs.map(\.defaultFoldersInParallel).min() ?? 2)
    }

    private static func accountSpecs(
        config: MigrationConfig, request: MigrationRequest, logger: Logger
    ) throws -> [(String, EndpointSpec, EndpointSpec)] {
        let only = request.accounts
        var accounts = try config.allAccounts { leftOut in
            if let message = config.systemAccounts?.leftOutMessage(leftOut) { logger.warning("\(message)") }
        }
        if !only.isEmpty {
            let unknown = Set(only).subtracting(accounts.map(\.user))
            guard unknown.isEmpty else { throw ConfigError("no account \(unknown.sorted().joined(separator: ", ")) in the config") }
            accounts = accounts.filter { only.contains($0.user) }
        }
        return try accounts.map { account in
            var source = side(.source, url: try url(config.source.url, user: account.user), request: request, config: config.source)
            var destination = side(
                .destination, url: try url(config.destination.url, user: account.destinationUser ?? account.user), request: request,
                config: config.destination)
            source.passwordFile = (account.passwordFile ?? config.source.passwordFile)?.replacing("{user}", with: account.user)
            destination.passwordFile = (account.destinationPasswordFile ?? config.destination.passwordFile)?
                .replacing("{user}", with: account.destinationUser ?? account.user)
            return (account.user, source, destination)
        }
    }

    /// One side from the flags, with the config's settings where no flag was given.
    private static func side(_ side: EndpointSpec.Side, url: String, request: MigrationRequest, config: EndpointConfig?) -> EndpointSpec {
        let given = side == .source ? request.from : request.to
        return EndpointSpec(
            side: side, url: url,
            passwordFile: given.passwordFile ?? config?.passwordFile,
            masterUser: given.masterUser ?? config?.masterUser,
            masterPasswordFile: given.masterPasswordFile ?? config?.masterPasswordFile,
            tls: IMAPTLSOptions(caFile: request.caFile ?? config?.caFile, insecure: request.insecure || (config?.insecure ?? false)),
            startTLS: request.startTLS && (config?.starttls ?? true),
            allowPlaintext: request.allowPlaintext || (config?.allowPlaintext ?? false),
            timeoutSeconds: request.timeoutSeconds)
    }

    /// The config's server URL for one account: the user inserted into an IMAP URL
    /// (`imap://host` → `imap://alice@host`); in a Maildir URL, `{user}` replaced by the user
    /// and `{home}` by the home directory of the system account of that name.
    public static func url(_ base: String, user: String) throws(ConfigError) -> String {
        if MaildirURL.isMaildir(base) {
            var result = base.replacing("{user}", with: user)
            if result.contains("{home}") {
                guard let account = SystemAccounts.lookup(name: user) else {
                    throw ConfigError("\(base): no system account \(user) to take {home} from")
                }
                result = result.replacing("{home}", with: account.home)
            }
            return result
        }
        guard let schemeEnd = base.range(of: "://"), !base[schemeEnd.upperBound...].contains("@") else { return base }
        let encoded = user.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed.subtracting(CharacterSet(charactersIn: ":@"))) ?? user
        return String(base[..<schemeEnd.upperBound]) + encoded + "@" + base[schemeEnd.upperBound...]
    }
}
