public import MailModel

/// What the planner needs to know about a destination folder.
public struct DestinationFolderState: Sendable {
    public let uidValidity: UIDValidity?
    public let nextUID: UID
    public let messages: [DovecotMessage]

    public init(uidValidity: UIDValidity?, nextUID: UID, messages: [DovecotMessage]) {
        self.uidValidity = uidValidity
        self.nextUID = nextUID
        self.messages = messages
    }

    public init(folder: DovecotFolder) {
        self.init(uidValidity: folder.uidValidity, nextUID: folder.nextUID, messages: folder.messages())
    }

    public static let empty = DestinationFolderState(uidValidity: nil, nextUID: UID(exactly: 1), messages: [])
}
