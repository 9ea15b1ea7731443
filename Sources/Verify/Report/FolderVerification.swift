/// The result of comparing one folder pair.
public struct FolderVerification: Hashable, Sendable, Codable {
    public var sourceFolder: String
    public var destinationFolder: String
    public var sourceMessages: Int
    public var destinationMessages: Int
    /// Messages found on both sides with the same bytes.
    public var matched: Int
    /// Fingerprints taken from the sync state instead of a fresh read (0 with `--deep`).
    public var fingerprintsFromState: Int
    public var discrepancies: [Discrepancy]
    /// Set when the folder could not be read at all.
    public var error: String?

    public init(
        sourceFolder: String, destinationFolder: String, sourceMessages: Int = 0, destinationMessages: Int = 0, matched: Int = 0,
        fingerprintsFromState: Int = 0, discrepancies: [Discrepancy] = [], error: String? = nil
    ) {
        self.sourceFolder = sourceFolder
        self.destinationFolder = destinationFolder
        self.sourceMessages = sourceMessages
        self.destinationMessages = destinationMessages
        self.matched = matched
        self.fingerprintsFromState = fingerprintsFromState
        self.discrepancies = discrepancies
        self.error = error
    }
}
