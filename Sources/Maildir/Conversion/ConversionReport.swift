/// What converting a whole Maildir did.
public struct ConversionReport: Sendable {
    public var folders: [FolderConversionReport] = []
    /// Folders that failed, with the reason; the others were converted.
    public var failures: [(levels: [String], error: MaildirError)] = []
    public var subscriptionsWritten = false
    /// Diagnostics about the Maildir as a whole (folder names, subscriptions).
    public var diagnostics: [MaildirDiagnostic] = []

    public init() {}

    /// Every diagnostic, the Maildir's and each folder's.
    public var allDiagnostics: [MaildirDiagnostic] { diagnostics + folders.flatMap(\.diagnostics) }

    public var succeeded: Bool {
        failures.isEmpty && !folders.contains { if case .refused = $0.identity { return true } else { return false } }
    }
}
