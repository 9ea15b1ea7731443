import Foundation
import IMAPClient
import Logging
import Maildir

/// What `sync` and `verify` resolve from their flags and the config file before doing
/// anything: the accounts with both stores (passwords loaded), and the run settings.
struct MigrationSetup {
    var jobs: [AccountJob]
    var config: MigrationConfig?
    var stateDirectory: String
    var parallelAccounts: Int
    var connectionsPerServer: Int
    var foldersInParallel: Int

    /// - Parameter readOnly: verify and dry runs: a Maildir source reads its UID ledger but never writes it.
    static func resolve(
        endpoints: EndpointOptions, fleet: FleetOptions, maildir: MaildirOptions? = nil, readOnly: Bool = false, logger: Logger
    ) throws -> MigrationSetup {
        let config = try fleet.config.map { path throws(ConfigError) in try MigrationConfig.load(path: path) }
        var specs: [(String, EndpointSpec, EndpointSpec)]
        if let config {
            guard endpoints.from == nil, endpoints.to == nil else {
                throw ConfigError("--from/--to and --config exclude each other: the config names both servers")
            }
            specs = try accountSpecs(config: config, endpoints: endpoints, only: fleet.account, logger: logger)
        } else {
            guard let from = endpoints.from, let to = endpoints.to else {
                throw ConfigError("give --from URL and --to URL for one account, or --config FILE for many (see --help)")
            }
            let source = side(.source, url: from, endpoints: endpoints, config: nil)
            let destination = side(.destination, url: to, endpoints: endpoints, config: nil)
            let name = (try? IMAPURL(parsing: from).user) ?? (try? IMAPURL(parsing: to).user) ?? (try? MaildirURL(parsing: from).path) ?? from
            specs = [(name, source, destination)]
        }
        for index in specs.indices {
            specs[index].2.owner = maildir?.owner ?? config?.destination.owner
            specs[index].2.overwriteUIDValidity = maildir?.overwriteUIDValidity ?? false
            if specs[index].2.owner != nil, !specs[index].2.isMaildir {
                throw ConfigError("--owner is for a maildir: destination; \(specs[index].2.url) is not one")
            }
        }
        let stateDirectory = fleet.state ?? config?.sync?.state ?? ".mailferry"
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
            parallelAccounts: fleet.jobs ?? config?.sync?.jobs ?? 1,
            connectionsPerServer: fleet.maxConnectionsPerServer ?? config?.sync?.maxConnectionsPerServer ?? 4,
            foldersInParallel: fleet.foldersInParallel ?? config?.sync?.foldersInParallel ?? 2)
    }

    private static func accountSpecs(
        config: MigrationConfig, endpoints: EndpointOptions, only: [String], logger: Logger
    ) throws -> [(String, EndpointSpec, EndpointSpec)] {
        var accounts = try config.allAccounts { leftOut in
            if let message = config.systemAccounts?.leftOutMessage(leftOut) { logger.warning("\(message)") }
        }
        if !only.isEmpty {
            let unknown = Set(only).subtracting(accounts.map(\.user))
            guard unknown.isEmpty else { throw ConfigError("no account \(unknown.sorted().joined(separator: ", ")) in the config") }
            accounts = accounts.filter { only.contains($0.user) }
        }
        return try accounts.map { account in
            var source = side(.source, url: try url(config.source.url, user: account.user), endpoints: endpoints, config: config.source)
            var destination = side(
                .destination, url: try url(config.destination.url, user: account.destinationUser ?? account.user), endpoints: endpoints,
                config: config.destination)
            source.passwordFile = (account.passwordFile ?? config.source.passwordFile)?.replacing("{user}", with: account.user)
            destination.passwordFile = (account.destinationPasswordFile ?? config.destination.passwordFile)?
                .replacing("{user}", with: account.destinationUser ?? account.user)
            return (account.user, source, destination)
        }
    }

    /// One side from the flags, with the config's settings where no flag was given.
    private static func side(_ side: EndpointSpec.Side, url: String, endpoints: EndpointOptions, config: EndpointConfig?) -> EndpointSpec {
        let isSource = side == .source
        return EndpointSpec(
            side: side, url: url,
            passwordFile: (isSource ? endpoints.fromPasswordFile : endpoints.toPasswordFile) ?? config?.passwordFile,
            masterUser: (isSource ? endpoints.fromMasterUser : endpoints.toMasterUser) ?? config?.masterUser,
            masterPasswordFile: (isSource ? endpoints.fromMasterPasswordFile : endpoints.toMasterPasswordFile) ?? config?.masterPasswordFile,
            tls: IMAPTLSOptions(caFile: endpoints.caFile ?? config?.caFile, insecure: endpoints.insecure || (config?.insecure ?? false)),
            startTLS: !endpoints.noStarttls && (config?.starttls ?? true),
            allowPlaintext: endpoints.allowPlaintext || (config?.allowPlaintext ?? false),
            timeoutSeconds: endpoints.timeout)
    }

    /// The config's server URL for one account: the user inserted into an IMAP URL
    /// (`imap://host` → `imap://alice@host`); in a Maildir URL, `{user}` replaced by the user
    /// and `{home}` by the home directory of the system account of that name.
    static func url(_ base: String, user: String) throws(ConfigError) -> String {
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
