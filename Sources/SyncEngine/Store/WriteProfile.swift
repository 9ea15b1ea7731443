/// What a destination asks of a run's options (``DestinationStore/writeProfile``): how large
/// a message is kept in memory, and how batches and folders are chosen when the source's
/// bodies are its own open files (``SourceStore/bodiesAreOpenFiles``). Each value is a floor
/// or a default, never a cap: what the run was asked for explicitly still decides above it.
public struct WriteProfile: Sendable, Equatable {
    /// Messages up to this size are kept in memory between reading and writing rather than
    /// staged in a temporary file (``SyncOptions/memoryThreshold`` is raised to it).
    public var memoryThreshold: Int?
    /// The least batch, in messages and bytes, when the bodies are open files.
    public var batchFromFilesMessages: Int?
    public var batchFromFilesBytes: Int?
    /// Folders worked on at once when the bodies are open files and the run does not say.
    public var foldersFromFiles: Int?

    public init(memoryThreshold: Int? = nil, batchFromFilesMessages: Int? = nil, batchFromFilesBytes: Int? = nil, foldersFromFiles: Int? = nil) {
        self.memoryThreshold = memoryThreshold
        self.batchFromFilesMessages = batchFromFilesMessages
        self.batchFromFilesBytes = batchFromFilesBytes
        self.foldersFromFiles = foldersFromFiles
    }
}
