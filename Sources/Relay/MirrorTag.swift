import Crypto
import MailModel
public import MailSpool

/// The mirror's mark on every copy it relays: `X-Mailferry-Mirror: <queue id>; mac=<hex>`.
///
/// `mirror purge` deletes messages from the new server by this header, so it must be
/// unforgeable: anyone can put a header of that name in a message. The MAC is an HMAC-SHA256
/// of the queue id under a key that never leaves the mirror's spool directory (and the admin's
/// purge run), truncated to 128 bits; purge deletes only messages whose MAC verifies. The
/// mirror also renames an incoming header of this name on the copies it relays
/// (`neutralizedHeaderName`), so a copy carries exactly one tag: its own.
public struct MirrorTag: Sendable {
    /// The one place the header's name is spelled.
    public static let headerName = "X-Mailferry-Mirror"
    /// What a header named `headerName` that arrived with the message becomes on the copy:
    /// kept for whoever looks, but no longer a tag (IMAP `SEARCH HEADER` and purge match
    /// whole field names).
    public static let neutralizedHeaderName = "X-Mailferry-Mirror-Original"

    /// The key's octets (`SymmetricKey` is not Sendable; one is made per MAC).
    let key: [UInt8]

    /// A tag signer and checker with `key` (32 octets from the key file).
    public init(key: [UInt8]) {
        self.key = key
    }

    /// The header value for the copy spooled as `id`.
    public func value(for id: QueueID) -> String {
        "\(id.rawValue); mac=\(mac(id.rawValue))"
    }

    /// The full header line (CRLF-terminated) for `id`.
    public func headerLine(for id: QueueID) -> String {
        "\(Self.headerName): \(value(for: id))\r\n"
    }

    /// The queue id in `value` when its MAC is ours, nil otherwise. Only the first line of
    /// the field counts (a folded continuation is ignored), and surrounding white space.
    public func verify(_ value: String) -> QueueID? {
        let firstLine = value.split(omittingEmptySubsequences: false) { $0 == "\r" || $0 == "\n" }.first ?? ""
        let trimmed = firstLine.drop { $0 == " " || $0 == "\t" }
        let parts = trimmed.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let id = String(parts[0])
        var rest = parts[1].drop { $0 == " " || $0 == "\t" }
        guard rest.hasPrefix("mac=") else { return nil }
        rest = rest.dropFirst(4)
        let given = String(rest.prefix { $0 != " " && $0 != "\t" })
        guard rest.dropFirst(given.count).allSatisfy({ $0 == " " || $0 == "\t" }) else { return nil }
        let expected = mac(id)
        // Constant-time comparison: the MAC must not leak through timing.
        guard given.utf8.count == expected.utf8.count else { return nil }
        let difference = zip(given.utf8, expected.utf8).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) }
        return difference == 0 ? QueueID(id) : nil
    }

    /// The queue id of a mirror copy, given its header section (or just its tag fields, as
    /// IMAP `BODY.PEEK[HEADER.FIELDS (X-Mailferry-Mirror)]` returns them): there must be
    /// exactly one tag field and it must verify. Anything else (no tag, a forged or foreign
    /// tag, two tags) is nil: not provably ours, so never deleted.
    public func verifyHeader(_ bytes: [UInt8]) -> QueueID? {
        let values = HeaderFields.firstLines(of: Self.headerName, in: bytes)
        guard values.count == 1 else { return nil }
        return verify(values[0])
    }

    func mac(_ id: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Array("mailferry-mirror-tag-v1:\(id)".utf8), using: SymmetricKey(data: key))
        return LowercaseHex.string(code.prefix(16))
    }
}

extension MirrorTag {
    /// How many tag fields a header section has: a message with one or more carries the
    /// tag's name (a candidate for `mirror purge`), whether or not it verifies.
    public static func tagFields(in header: [UInt8]) -> Int {
        HeaderFields.firstLines(of: headerName, in: header).count
    }
}
