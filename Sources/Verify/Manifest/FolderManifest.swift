/// Every message of one folder, as read from one side.
public struct FolderManifest: Hashable, Sendable, Codable {
    public var folder: String
    public var uidValidity: UInt32
    public var entries: [ManifestEntry]
    /// Entries whose fingerprint came from the sync state instead of a fresh read.
    public var fromState: Int

    public init(folder: String, uidValidity: UInt32, entries: [ManifestEntry], fromState: Int = 0) {
        self.folder = folder
        self.uidValidity = uidValidity
        self.entries = entries
        self.fromState = fromState
    }
}
