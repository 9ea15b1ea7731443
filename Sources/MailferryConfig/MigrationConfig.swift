/// The TOML file (`--config`) that describes a migration of many accounts: both servers
/// once, the accounts, the folder rules and the run settings. See `examples/mailferry.toml`.
public struct MigrationConfig: Decodable, Equatable {
    public var source: EndpointConfig
    public var destination: EndpointConfig
    public var sync: SyncConfig?
    public var folders: FolderRulesConfig?
    public var accounts: [AccountConfig]?
    /// A file with one account per line: `user [destination-user]`; `#` starts a comment.
    public var accountsFile: String?
    /// Every shell account of the system with a Maildir (a Courier host's users).
    public var systemAccounts: SystemAccountsConfig?
    /// `mailferry cutover`: the hosts, domains and commands of the move (docs/admin/cutover.md).
    public var cutover: CutoverConfig?
    /// `mailferry plan`'s domains, addresses and DNS settings.
    public var plan: PlanConfig?

    public enum CodingKeys: String, CodingKey {
        case source, destination, sync, folders, accounts, cutover, plan
        case accountsFile = "accounts_file"
        case systemAccounts = "system_accounts"
    }
}

/// One side of the migration.
public struct EndpointConfig: Decodable, Equatable {
    /// `imap://host:port`, `imaps://host:port`, or `maildir:/home/{user}/Maildir` (`{user}`: the
    /// account's user, `{home}`: its system home directory); no user name (it comes from each
    /// account) and never a password.
    public var url: String
    /// Log in as this master user on behalf of each account (Dovecot `user*master`).
    public var masterUser: String?
    /// The master user's password file.
    public var masterPasswordFile: String?
    /// Each account's password file; `{user}` is replaced by the account's user name.
    public var passwordFile: String?
    public var caFile: String?
    public var insecure: Bool?
    public var starttls: Bool?
    public var allowPlaintext: Bool?
    /// A `maildir:` destination: owner of what is written (`user`, `user:group`, `uid:gid`).
    public var owner: String?

    public enum CodingKeys: String, CodingKey {
        case url, owner
        case masterUser = "master_user"
        case masterPasswordFile = "master_password_file"
        case passwordFile = "password_file"
        case caFile = "ca_file"
        case insecure, starttls
        case allowPlaintext = "allow_plaintext"
    }
}

/// Run settings; each can be overridden by the matching command-line flag.
public struct SyncConfig: Decodable, Equatable {
    public var state: String?
    public var jobs: Int?
    public var maxConnectionsPerServer: Int?
    public var foldersInParallel: Int?
    /// Bytes per second read from the source, e.g. `"20MB"`.
    public var bandwidth: String?
    public var deleteExtraneous: Bool?

    public enum CodingKeys: String, CodingKey {
        case state, jobs, bandwidth
        case maxConnectionsPerServer = "max_connections_per_server"
        case foldersInParallel = "folders_in_parallel"
        case deleteExtraneous = "delete_extraneous"
    }
}

/// Folder rules, as `--map`, `--map-regex`, `--include`, `--exclude`.
public struct FolderRulesConfig: Decodable, Equatable {
    public var map: [String]?
    public var mapRegex: [String]?
    public var include: [String]?
    public var exclude: [String]?

    public enum CodingKeys: String, CodingKey {
        case map, include, exclude
        case mapRegex = "map_regex"
    }
}

/// One account to migrate.
public struct AccountConfig: Decodable, Equatable {
    public var user: String
    /// The user name on the destination when it differs.
    public var destinationUser: String?
    /// Overrides the source's `password_file` for this account.
    public var passwordFile: String?
    /// Overrides the destination's `password_file` for this account.
    public var destinationPasswordFile: String?

    public enum CodingKeys: String, CodingKey {
        case user
        case destinationUser = "destination_user"
        case passwordFile = "password_file"
        case destinationPasswordFile = "destination_password_file"
    }
}
