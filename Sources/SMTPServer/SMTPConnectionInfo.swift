public import Logging

/// Facts about one client connection, for the sink's policy and logs.
public struct SMTPConnectionInfo: Sendable {
    /// A short unique id, also in every log line as `smtp.session.id`.
    public var id: String
    /// The client's IP address, if known.
    public var remoteAddress: String?
    /// The session's logger (carries `smtp.session.id`).
    public var logger: Logger

    public init(id: String, remoteAddress: String?, logger: Logger) {
        self.id = id
        self.remoteAddress = remoteAddress
        self.logger = logger
    }
}
