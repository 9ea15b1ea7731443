import MailModel
import SyncEngine

/// Where one folder's UIDs stood when it was read: its UIDVALIDITY and the UID its next
/// message gets. A message under the same UIDVALIDITY with a UID at or above `uidNext`
/// arrived after the folder was read.
public struct FolderMark: Hashable, Sendable, Codable {
    public var uidValidity: UInt32
    public var uidNext: UInt32

    public init(uidValidity: UInt32, uidNext: UInt32) {
        self.uidValidity = uidValidity
        self.uidNext = uidNext
    }

    /// The mark of every selectable folder `reader` lists (folders whose name cannot be
    /// represented are left out), by folder name. A folder already opened in this session
    /// since the store last changed is taken from `opened` instead of being opened again.
    public static func marks(
        _ reader: any MailboxReader, listing: [FolderListing]? = nil, opened: [String: FolderStatus] = [:]
    ) async throws -> [String: FolderMark] {
        var marks: [String: FolderMark] = [:]
        var folders = listing ?? []
        if listing == nil { folders = try await reader.listFolders() }
        for folder in folders where folder.isSelectable && folder.nameError == nil {
            let status: FolderStatus
            if let known = opened[folder.name.name] { status = known } else { status = try await reader.open(folder.name) }
            marks[folder.name.name] = FolderMark(uidValidity: status.uidValidity.rawValue, uidNext: status.uidNext)
        }
        return marks
    }
}
