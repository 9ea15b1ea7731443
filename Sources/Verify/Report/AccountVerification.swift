import SyncEngine

/// The result of verifying one account.
public struct AccountVerification: Hashable, Sendable, Codable {
    public var account: String
    public var source: String
    public var destination: String
    public var folders: [FolderVerification] = []
    /// Differences that belong to no single folder pair (subscriptions, mapping problems).
    public var accountDiscrepancies: [Discrepancy] = []
    /// Set when the account could not be verified (login failed, server unreachable).
    public var error: String?
    /// What kind of failure ``error`` is (in JSON its raw value, e.g. `"authentication"`);
    /// nil when the account was verified, or the error came from outside the stores.
    public var errorKind: StoreError.Kind?
    public var seconds: Double = 0
    /// Destination folder name → its mark, with ``VerifyOptions/markDestinationFolders``.
    public var destinationMarks: [String: FolderMark]?

    public init(account: String, source: String, destination: String) {
        self.account = account
        self.source = source
        self.destination = destination
    }

    public var discrepancies: [Discrepancy] { accountDiscrepancies + folders.flatMap(\.discrepancies) }
    public var sourceMessages: Int { folders.reduce(0) { $0 + $1.sourceMessages } }
    public var matched: Int { folders.reduce(0) { $0 + $1.matched } }

    /// How many discrepancies of each kind (missing messages of a missing folder count as missing).
    public func count(_ kind: Discrepancy.Kind) -> Int {
        discrepancies.filter { $0.kind == kind }.count
    }

    /// True if nothing is missing or altered and the account was read completely.
    public var isIntact: Bool {
        error == nil && folders.allSatisfy { $0.error == nil } && !discrepancies.contains { $0.kind.isLossOrAlteration }
    }

    /// True if the two sides are equal in every checked respect.
    public var isIdentical: Bool { isIntact && discrepancies.isEmpty }
}
