/// The TOML file (`--config`) that describes a migration of many accounts: both servers
/// once, the accounts, the folder rules and the run settings. See `examples/mailferry.toml`.
struct MigrationConfig: Decodable, Equatable {
    var source: EndpointConfig
    var destination: EndpointConfig
    var sync: SyncConfig?
    var folders: FolderRulesConfig?
    var accounts: [AccountConfig]?
    /// A file with one account per line: `user [destination-user]`; `#` starts a comment.
    var accountsFile: String?
    /// Every shell account of the system with a Maildir (a Courier host's users).
    var systemAccounts: SystemAccountsConfig?

    enum CodingKeys: String, CodingKey {
        case source, destination, sync, folders, accounts
        case accountsFile = "accounts_file"
        case systemAccounts = "system_accounts"
    }
}

/// One side of the migration.
struct EndpointConfig: Decodable, Equatable {
    /// `imap://host:port`, `imaps://host:port`, or `maildir:/home/{user}/Maildir` (`{user}`: the
    /// account's user, `{home}`: its system home directory); no user name (it comes from each
    /// account) and never a password.
    var url: String
    /// Log in as this master user on behalf of each account (Dovecot `user*master`).
    var masterUser: String?
    /// The master user's password file.
    var masterPasswordFile: String?
    /// Each account's password file; `{user}` is replaced by the account's user name.
    var passwordFile: String?
    var caFile: String?
    var insecure: Bool?
    var starttls: Bool?
    var allowPlaintext: Bool?
    /// A `maildir:` destination: owner of what is written (`user`, `user:group`, `uid:gid`).
    var owner: String?

    enum CodingKeys: String, CodingKey {
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
struct SyncConfig: Decodable, Equatable {
    var state: String?
    var jobs: Int?
    var maxConnectionsPerServer: Int?
    var foldersInParallel: Int?
    /// Bytes per second read from the source, e.g. `"20MB"`.
    var bandwidth: String?
    var deleteExtraneous: Bool?

    enum CodingKeys: String, CodingKey {
        case state, jobs, bandwidth
        case maxConnectionsPerServer = "max_connections_per_server"
        case foldersInParallel = "folders_in_parallel"
        case deleteExtraneous = "delete_extraneous"
    }
}

/// Folder rules, as `--map`, `--map-regex`, `--include`, `--exclude`.
struct FolderRulesConfig: Decodable, Equatable {
    var map: [String]?
    var mapRegex: [String]?
    var include: [String]?
    var exclude: [String]?

    enum CodingKeys: String, CodingKey {
        case map, include, exclude
        case mapRegex = "map_regex"
    }
}

/// One account to migrate.
struct AccountConfig: Decodable, Equatable {
    var user: String
    /// The user name on the destination when it differs.
    var destinationUser: String?
    /// Overrides the source's `password_file` for this account.
    var passwordFile: String?
    /// Overrides the destination's `password_file` for this account.
    var destinationPasswordFile: String?

    enum CodingKeys: String, CodingKey {
        case user
        case destinationUser = "destination_user"
        case passwordFile = "password_file"
        case destinationPasswordFile = "destination_password_file"
    }
}
