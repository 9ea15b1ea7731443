/// An account's quota on the new server as Dovecot's quota plugin reports it, the most
/// restrictive of its quota roots. nil limits are unlimited.
public struct AccountQuota: Codable, Sendable, Equatable {
    public var storageLimitBytes: Int?
    public var messageLimit: Int?
    /// What the account already holds there (a presync's copies count).
    public var storageUsedBytes: Int?
    public var messagesUsed: Int?

    public init(storageLimitBytes: Int? = nil, messageLimit: Int? = nil, storageUsedBytes: Int? = nil, messagesUsed: Int? = nil) {
        self.storageLimitBytes = storageLimitBytes
        self.messageLimit = messageLimit
        self.storageUsedBytes = storageUsedBytes
        self.messagesUsed = messagesUsed
    }

    /// Parses `doveadm -f tab quota get -u USER`: a header line, then one line per quota
    /// root and resource, `name TAB type TAB value TAB limit TAB percent`. STORAGE counts
    /// KiB, MESSAGE messages; a limit of `-` is none. nil when the output has no header.
    public static func parse(doveadmTab text: String) -> AccountQuota? {
        let lines = text.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first, header.count >= 4, header[1] == "Type", header[3] == "Limit" else { return nil }
        var quota = AccountQuota()
        func tighter(_ current: Int?, _ new: Int?) -> Int? {
            guard let new else { return current }
            return min(current ?? new, new)
        }
        for fields in lines.dropFirst() where fields.count >= 4 {
            let value = Int(fields[2])
            let limit = Int(fields[3])
            switch fields[1].uppercased() {
            case "STORAGE":
                quota.storageLimitBytes = tighter(quota.storageLimitBytes, limit.map { $0 * 1024 })
                quota.storageUsedBytes = max(quota.storageUsedBytes ?? 0, (value ?? 0) * 1024)
            case "MESSAGE":
                quota.messageLimit = tighter(quota.messageLimit, limit)
                quota.messagesUsed = max(quota.messagesUsed ?? 0, value ?? 0)
            default:
                continue
            }
        }
        return quota
    }
}
