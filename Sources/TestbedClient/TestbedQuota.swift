/// A storage limit on the new side (Dovecot's quota plugin, count backend), as
/// `scripts/testbed adduser NAME --quota SIZE` sets it and testbed.json records it per user.
/// Over the limit Dovecot answers APPEND with `NO [OVERQUOTA] Quota exceeded (mailbox for
/// user is full)` and LMTP with `552 5.2.2`. Accounts without one have no limit.
public struct TestbedQuota: Sendable, Decodable, Hashable, CustomStringConvertible {
    /// Dovecot's spelling: a whole number and a unit B, K, M or G (K = 1024 bytes), `200K`.
    public let storage: String
    /// The limit in bytes.
    public let bytes: Int
    /// The userdb field value that sets it: `*:storage=200K`.
    public let dovecotRule: String

    /// Parses Dovecot's spelling; throws ``TestbedUnavailable`` for anything else.
    public init(storage: String) throws {
        let digits = storage.dropLast()
        let multiplier: Int? = switch storage.last {
        case "B": 1
        case "K": 1 << 10
        case "M": 1 << 20
        case "G": 1 << 30
        default: nil
        }
        guard let multiplier, (1...9).contains(digits.count), digits.first != "0",
            digits.allSatisfy({ $0.isASCII && $0.isNumber }), let count = Int(digits)
        else {
            throw TestbedUnavailable(reason: "quota must be a whole number and a unit B, K, M or G, e.g. 200K (got '\(storage)')")
        }
        self.storage = storage
        self.bytes = count * multiplier
        self.dovecotRule = "*:storage=\(storage)"
    }

    /// A limit of `count` KiB (`count` > 0).
    public static func kibibytes(_ count: Int) -> TestbedQuota {
        precondition(count > 0, "a quota must be positive")
        // Cannot fail: a positive count with a valid unit.
        return try! TestbedQuota(storage: "\(count)K")
    }

    /// A limit of `count` MiB (`count` > 0).
    public static func mebibytes(_ count: Int) -> TestbedQuota {
        precondition(count > 0, "a quota must be positive")
        return try! TestbedQuota(storage: "\(count)M")
    }

    public var description: String { storage }
}
