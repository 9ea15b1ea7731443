public import MailModel

/// A message file that is complete and durable in `tmp/`, ready to be renamed into place.
public struct WrittenMessage: Hashable, Sendable {
    public let temporaryPath: String
    /// Bytes on disk (`,S=`).
    public let size: Int64
    /// Size with every bare LF counted as CRLF (`,W=`, RFC822.SIZE), when computed.
    public let virtualSize: Int64?
    /// SHA-256 of the bytes, when the writer was asked to compute it.
    public let fingerprint: MessageFingerprint?
    /// True when the file was fsynced; otherwise the writer's owner must flush the file
    /// system before making it visible.
    public let isDurable: Bool
}
