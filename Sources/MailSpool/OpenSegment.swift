/// A segment file the log has open: where the next record goes, and whether the file's
/// own directory entry still has to be made durable. Owned by `SegmentLog`, used only under
/// its lock, except by the running fdatasync, which reads `fd` and `path` (they never change)
/// and sets `needsDirectorySync` and `syncFailed` of the files in its snapshot.
final class OpenSegment: @unchecked Sendable {
    let name: QueueID
    let path: String
    let fd: Int32
    /// Octets written so far: the offset of the next record.
    var size = 0
    /// No more records go to this file (full, or a write or fdatasync failed).
    var sealed = false
    /// In the snapshot of the fdatasync that is running now.
    var syncing = false
    /// Written since the last fdatasync started.
    var unsynced = false
    /// The new file's name is not durable yet: the first sync also fsyncs the directory.
    var needsDirectorySync = true
    /// Set by the fdatasync that failed for this file (read once it is over): the segment is
    /// sealed, its records abandoned.
    var syncFailed = false
    var closed = false

    init(name: QueueID, path: String, fd: Int32) {
        self.name = name
        self.path = path
        self.fd = fd
    }

    /// Close once sealed and no fdatasync needs the descriptor any more.
    func closeIfDone() {
        guard sealed, !syncing, !unsynced, !closed else { return }
        closed = true
        SpoolFile.closeFile(fd)
    }
}
