public import MailModel

/// What the planner needs to know about a destination folder.
public struct DestinationFolderState: Sendable {
    public let uidValidity: UIDValidity?
    public let nextUID: UID
    public let messages: [DovecotMessage]
    /// UIDs recorded in `dovecot-uidlist` whose file is missing, with their base.
    public let recordsWithoutFiles: [UID: String]

    public init(uidValidity: UIDValidity?, nextUID: UID, messages: [DovecotMessage], recordsWithoutFiles: [UID: String] = [:]) {
        self.uidValidity = uidValidity
        self.nextUID = nextUID
        self.messages = messages
        self.recordsWithoutFiles = recordsWithoutFiles
    }

    public init(folder: DovecotFolder) {
        self.init(
            uidValidity: folder.uidValidity, nextUID: folder.nextUID, messages: folder.messages(),
            recordsWithoutFiles: folder.recordsWithoutFiles())
    }

    public static let empty = DestinationFolderState(uidValidity: nil, nextUID: UID(exactly: 1), messages: [])
}
