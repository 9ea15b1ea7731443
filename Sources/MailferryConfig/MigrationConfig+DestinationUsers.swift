extension MigrationConfig {
    /// Each account's user on the new server (`destination_user`, else the same name), keyed
    /// by the account's name as `sync` and `plan` report it: what `doveadm -u` takes there.
    public func destinationUsers() throws(ConfigError) -> [String: String] {
        var users: [String: String] = [:]
        for account in try allAccounts() { users[account.user] = account.destinationUser ?? account.user }
        return users
    }
}
