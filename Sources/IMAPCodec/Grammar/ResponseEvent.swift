/// What the ``ResponseParser`` produces: one event per response, or several for a FETCH.
public enum ResponseEvent: Hashable, Sendable {
    /// The first response of a connection: `* OK`, `* PREAUTH` or `* BYE`.
    case greeting(ResponseStatus, ResponseText)
    case untagged(UntaggedResponse)
    case fetch(FetchEvent)
    case tagged(TaggedResponse)
    /// `continue-req = "+" SP (resp-text / base64)`: the server waits for a literal or an
    /// authentication response. `text` is what followed `+ ` (a base64 challenge for AUTHENTICATE).
    case continuation(text: String)
}
