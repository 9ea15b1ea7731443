public import MailModel

/// What converting one folder did (or, in a dry run, would do).
public struct FolderConversionReport: Sendable {
    public let levels: [String]
    public let destinationPath: String
    public let identity: FolderConversionPlan.Identity
    public var copied = 0
    public var adopted = 0
    public var renumbered = 0
    public var flagsUpdated = 0
    public var unchanged = 0
    public var destinationOnly = 0
    /// Bytes copied.
    public var bytes: Int64 = 0
    /// Keywords that Dovecot cannot store in file names, by message base.
    public var unstorableKeywords: [String: [String]] = [:]
    public var indexFilesRemoved: [String] = []
    public var diagnostics: [MaildirDiagnostic] = []

    public init(levels: [String], destinationPath: String, identity: FolderConversionPlan.Identity) {
        self.levels = levels
        self.destinationPath = destinationPath
        self.identity = identity
    }

    /// The worst severity among the diagnostics.
    public var worstSeverity: MaildirDiagnostic.Severity? { diagnostics.map(\.severity).max() }
}
