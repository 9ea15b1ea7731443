/// How far a log file on a host has been read: the file (by inode, so a rotation is seen)
/// and the byte offset of the first unread byte. The orchestrator keeps it between reads
/// (and in its journal), so each read fetches only what was appended.
public struct LogCursor: Hashable, Sendable, Codable {
    public var path: String
    public var inode: UInt64?
    public var offset: UInt64

    public init(path: String, inode: UInt64? = nil, offset: UInt64 = 0) {
        self.path = path
        self.inode = inode
        self.offset = offset
    }
}
