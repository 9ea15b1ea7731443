/// Everything one `mailferry verify` run found, ready for the terminal, JSON and HTML.
public struct VerifyReport: Hashable, Sendable, Codable {
    /// What was checked and how, for the reader of a forwarded report.
    public struct Scope: Hashable, Sendable, Codable {
        public var deep: Bool
        public var expectSameUIDs: Bool
        public var startedAt: String
        public var finishedAt: String
        public var toolVersion: String

        public init(deep: Bool, expectSameUIDs: Bool, startedAt: String, finishedAt: String, toolVersion: String) {
            self.deep = deep
            self.expectSameUIDs = expectSameUIDs
            self.startedAt = startedAt
            self.finishedAt = finishedAt
            self.toolVersion = toolVersion
        }
    }

    public var scope: Scope
    public var accounts: [AccountVerification]

    public init(scope: Scope, accounts: [AccountVerification]) {
        self.scope = scope
        self.accounts = accounts
    }

    public var isIntact: Bool { accounts.allSatisfy(\.isIntact) }
    public var isIdentical: Bool { accounts.allSatisfy(\.isIdentical) }

    public func count(_ kind: Discrepancy.Kind) -> Int { accounts.reduce(0) { $0 + $1.count(kind) } }
}
