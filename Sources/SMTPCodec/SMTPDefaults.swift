/// Named limits and timeouts, so every default can be found in one place.
///
/// RFC 5321 §4.5.3.1 gives the minimum sizes an implementation must accept; §4.5.3.2 gives
/// the client timeouts. Where Postfix chose a value the comment says so.
public enum SMTPDefaults {
    /// Command line, CRLF included (RFC 5321 §4.5.3.1.4).
    public static let commandLineLimit = 512
    /// Reply line, CRLF included (RFC 5321 §4.5.3.1.5).
    public static let replyLineLimit = 512
    /// Text line in DATA, CRLF included (RFC 5321 §4.5.3.1.6).
    public static let textLineLimit = 1000
    /// Message size in octets (Postfix `message_size_limit`).
    public static let messageSizeLimit = 10_240_000
    /// Header section size in octets (Postfix `header_size_limit`).
    public static let headerSizeLimit = 102_400
    /// Recipients per transaction (RFC 5321 §4.5.3.1.8: at least 100).
    public static let recipientLimit = 100
    /// `Received:` headers before a message is rejected as a loop (RFC 5321 §6.3: at least 100).
    public static let hopCountLimit = 100
    /// Errors in one session before it is closed (Postfix `smtpd_hard_error_limit`).
    public static let hardErrorLimit = 20
    /// Server: wait for a command (RFC 5321 §4.5.3.2.7: at least 5 minutes).
    public static let commandTimeout: Duration = .seconds(300)
    /// Server: the whole DATA phase gets this plus `messageSize / minimumDataRate`.
    public static let dataTimeout: Duration = .seconds(300)
    /// Bytes per second a client must sustain during DATA (Postfix `smtpd_min_data_rate`).
    public static let minimumDataRate = 500
    /// Server: wait before the banner; a client that talks first is an early talker and is
    /// dropped. Postscreen waits 6 s (`postscreen_greet_wait`); a mirror fed by its own
    /// Postfix pays this once per connection, so it is short.
    public static let greetingDelay: Duration = .seconds(1)
    /// Server: on graceful shutdown, how long a transaction in flight may still take.
    public static let shutdownGracePeriod: Duration = .seconds(30)
    /// Server: reply octets a client may leave unread before we stop reading its commands
    /// (NIO's default write-buffer high watermark).
    public static let replyBacklogLimit = 64 * 1024
}
