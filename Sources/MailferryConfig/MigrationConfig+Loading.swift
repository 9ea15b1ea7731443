import Foundation
import MailModel
import Maildir

extension MigrationConfig {
    /// Read and check a config file. Unknown keys are errors (a typo must not silently turn a
    /// setting off); relative paths in the file are relative to the file's directory.
    public static func load(path: String) throws(ConfigError) -> MigrationConfig {
        try parse(try ConfigDecoder.read(path: path), origin: path)
    }

    public static func parse(_ text: String, origin: String) throws(ConfigError) -> MigrationConfig {
        var config = try ConfigDecoder.decode(MigrationConfig.self, from: text, origin: origin, example: "examples/mailferry.toml")
        let base = (origin as NSString).deletingLastPathComponent
        config.resolvePaths(relativeTo: base)
        try config.validate(origin: origin)
        return config
    }

    private mutating func resolvePaths(relativeTo base: String) {
        func resolve(_ path: String?) -> String? {
            guard let path, !path.hasPrefix("/"), !base.isEmpty else { return path }
            return (base as NSString).appendingPathComponent(path)
        }
        for endpoint in [\MigrationConfig.source, \MigrationConfig.destination] {
            self[keyPath: endpoint].passwordFile = resolve(self[keyPath: endpoint].passwordFile)
            self[keyPath: endpoint].masterPasswordFile = resolve(self[keyPath: endpoint].masterPasswordFile)
            self[keyPath: endpoint].caFile = resolve(self[keyPath: endpoint].caFile)
        }
        accountsFile = resolve(accountsFile)
        if let state = sync?.state { sync?.state = resolve(state) }
        if let spool = cutover?.mirror?.spool { cutover?.mirror?.spool = resolve(spool) ?? spool }
        if let domains = cutover?.domains { cutover?.domains = domains.map { $0.lowercased() } }
        // Only the plan's paths on this host: old_postfix is read on the old host, unless that is this one.
        func local(_ path: String?) -> String? {
            guard let path, !path.hasPrefix("/") else { return path }
            return URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: base.isEmpty ? "." : base, isDirectory: true)).standardizedFileURL.path
        }
        if var plan {
            plan.newPostfix = local(plan.newPostfix)
            plan.newStore = local(plan.newStore)
            plan.newDovecotConfig = local(plan.newDovecotConfig)
            if (plan.oldHost ?? cutover?.old.host ?? "local") == "local" { plan.oldPostfix = local(plan.oldPostfix) }
            self.plan = plan
        }
        if let accounts {
            self.accounts = accounts.map { account in
                var account = account
                account.passwordFile = resolve(account.passwordFile)
                account.destinationPasswordFile = resolve(account.destinationPasswordFile)
                return account
            }
        }
    }

    private func validate(origin: String) throws(ConfigError) {
        if (accounts ?? []).isEmpty && accountsFile == nil && systemAccounts == nil {
            throw ConfigError("\(origin): no accounts: add [[accounts]] entries, accounts_file or [system_accounts]")
        }
        try systemAccounts?.validate(origin: origin)
        try cutover?.validate(origin: origin)
        for (name, value) in [("jobs", sync?.jobs), ("max_connections_per_server", sync?.maxConnectionsPerServer),
                              ("folders_in_parallel", sync?.foldersInParallel)] {
            if let value, value < 1 { throw ConfigError("\(origin): sync.\(name) must be at least 1 (got \(value))") }
        }
        if let bandwidth = sync?.bandwidth, ByteFormatting.parseSize(bandwidth) == nil {
            throw ConfigError("\(origin): sync.bandwidth \"\(bandwidth)\" is not a size such as \"20MB\"")
        }
        var seen = Set<String>()
        for account in accounts ?? [] where !seen.insert(account.user).inserted {
            throw ConfigError("\(origin): account \(account.user) is listed twice")
        }
        try plan?.validate(origin: origin)
    }

    /// Every account: the `[[accounts]]` entries, then the accounts file's lines, then the
    /// system's accounts of `[system_accounts]` not named before; those without a Maildir
    /// are handed to `leftOut`.
    public func allAccounts(leftOut: ([SystemAccount]) -> Void = { _ in }) throws(ConfigError) -> [AccountConfig] {
        var result = accounts ?? []
        if let accountsFile {
            let text: String
            do {
                text = try String(contentsOfFile: accountsFile, encoding: .utf8)
            } catch {
                throw ConfigError("cannot read accounts file \(accountsFile): \(error.localizedDescription)")
            }
            for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
                guard !fields.isEmpty else { continue }
                guard fields.count <= 2 else {
                    throw ConfigError("\(accountsFile):\(number + 1): expected \"user [destination-user]\", got \(fields.count) fields "
                        + "(passwords never go in this file: use password_file with {user})")
                }
                result.append(AccountConfig(user: fields[0], destinationUser: fields.count > 1 ? fields[1] : nil))
            }
        }
        var seen = Set<String>()
        for account in result where !seen.insert(account.user).inserted {
            throw ConfigError("account \(account.user) is listed twice")
        }
        if let systemAccounts {
            let (found, without) = systemAccounts.accounts()
            if !without.isEmpty { leftOut(without) }
            result += found.filter { !seen.contains($0.name) }.map { AccountConfig(user: $0.name) }
            if result.isEmpty {
                throw ConfigError("no accounts: [system_accounts] found no system account with \(systemAccounts.summary)")
            }
        }
        return result
    }
}
