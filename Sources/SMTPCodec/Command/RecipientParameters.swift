/// The ESMTP parameters of `RCPT TO`. We advertise no extension that adds any (DSN is not
/// offered), so this is empty; it exists so the command shape does not change when one is.
public struct RecipientParameters: Hashable, Sendable {
    /// Initialize empty parameters.
    public init() {}

    var wireSuffix: String { "" }
}
