/// The ESMTP parameters of `RCPT TO`. The server side parses none (DSN is not offered, so
/// no client may send one); the client sends `NOTIFY=` to a next hop that offers DSN.
public struct RecipientParameters: Hashable, Sendable {
    /// RFC 3461 `NOTIFY=`: which delivery status notifications the next hop may send.
    public var notify: DeliveryNotification?

    /// Initialize parameters (none by default).
    public init(notify: DeliveryNotification? = nil) {
        self.notify = notify
    }

    var wireSuffix: String { notify.map { " NOTIFY=\($0.rawValue)" } ?? "" }
}

/// RFC 3461 §4.1 values of `NOTIFY=`.
public enum DeliveryNotification: String, Hashable, Sendable {
    /// No notification at all, whatever happens.
    case never = "NEVER"
    /// Only when delivery fails.
    case failure = "FAILURE"
    /// When delivery fails or is delayed.
    case failureAndDelay = "FAILURE,DELAY"
}
