/// The condition word of a status response (RFC 3501 §7.1).
public enum ResponseStatus: String, Hashable, Sendable, CaseIterable {
    case ok = "OK"
    case no = "NO"
    case bad = "BAD"
    case preauth = "PREAUTH"
    case bye = "BYE"
}
