/// One message file found in a folder's `cur/` or `new/`, with what `stat` said about it.
public struct MaildirFileEntry: Hashable, Sendable {
    public enum Location: String, Hashable, Sendable, CustomStringConvertible {
        /// Seen by a client; the name carries `:2,<flags>`.
        case cur
        /// Delivered, not yet seen by any client; no flags.
        case new

        public var description: String { rawValue }
    }

    public let location: Location
    public let fileName: MaildirFilename
    /// Physical size in bytes.
    public let size: Int64
    /// Modification time in seconds: the INTERNALDATE.
    public let modificationTime: Int64
    /// Status change time in seconds (the last rename, e.g. a flag change).
    public let changeTime: Int64

    public init(location: Location, name: String, size: Int64, modificationTime: Int64, changeTime: Int64? = nil) {
        self.location = location
        self.fileName = MaildirFilename(name)
        self.size = size
        self.modificationTime = modificationTime
        self.changeTime = changeTime ?? modificationTime
    }

    public var name: String { fileName.rawValue }
    public var base: String { fileName.base }

    /// The path relative to the folder directory, e.g. `cur/1700000000.M1P1.host:2,S`.
    public var relativePath: String { location.rawValue + "/" + name }
}
