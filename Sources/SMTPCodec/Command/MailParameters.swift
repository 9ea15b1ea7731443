public import MailModel

/// The ESMTP parameters of `MAIL FROM` that we understand (RFC 1870 SIZE, RFC 6152 BODY,
/// RFC 6531 SMTPUTF8). Anything else is rejected with 555 at parse time.
public struct MailParameters: Hashable, Sendable {
    /// `SIZE=` declared by the client.
    public var size: Int?
    /// `BODY=`; nil when absent.
    public var body: MessageBodyType?
    /// `SMTPUTF8` was given.
    public var smtpUTF8: Bool

    /// Initialize parameters.
    public init(size: Int? = nil, body: MessageBodyType? = nil, smtpUTF8: Bool = false) {
        self.size = size
        self.body = body
        self.smtpUTF8 = smtpUTF8
    }

    var wireSuffix: String {
        var out = ""
        if let size { out += " SIZE=\(size)" }
        if let body { out += " BODY=\(body.rawValue)" }
        if smtpUTF8 { out += " SMTPUTF8" }
        return out
    }
}
