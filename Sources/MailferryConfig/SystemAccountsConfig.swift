import Foundation
import Maildir

/// `[system_accounts]`: the accounts of a Courier host are its shell accounts, each with its
/// mail in `~/Maildir`. Every account of the system's user database (through NSS, as
/// `getent passwd`) with a uid in the range and a Maildir in its home is migrated, so that
/// mailferry run as root needs neither a list of users nor their passwords.
public struct SystemAccountsConfig: Decodable, Equatable {
    /// The lowest and highest uid taken (default: Debian's ordinary users, 1000–59999).
    /// Decoded as `Int` and checked by ``validate(origin:)``: TOMLKit traps on a negative
    /// number decoded as an unsigned type.
    public var uidMin: Int?
    public var uidMax: Int?
    /// The Maildir's path inside each home (default `Maildir`): an account without
    /// `<home>/<maildir>/cur` is left out and named in the log.
    public var maildir: String?
    /// Users never taken (service accounts with a Maildir, people already migrated).
    public var exclude: [String]?

    public enum CodingKeys: String, CodingKey {
        case maildir, exclude
        case uidMin = "uid_min"
        case uidMax = "uid_max"
    }

    /// The range asked for; only meaningful once ``validate(origin:)`` passed.
    public var uidRange: ClosedRange<UInt32> {
        let low = uidMin.flatMap(UInt32.init(exactly:)) ?? SystemAccounts.defaultUIDRange.lowerBound
        return low...max(low, uidMax.flatMap(UInt32.init(exactly:)) ?? SystemAccounts.defaultUIDRange.upperBound)
    }

    public var maildirName: String { maildir ?? "Maildir" }

    /// Plain words about the selection, for messages: "uid 1000–59999 with ~/Maildir".
    public var summary: String { "uid \(uidRange.lowerBound)–\(uidRange.upperBound) with ~/\(maildirName)" }

    /// The warning naming the accounts in the range that have no Maildir (the first 20).
    public func leftOutMessage(_ leftOut: [SystemAccount]) -> String {
        let names = leftOut.prefix(20).map(\.name).joined(separator: ", ") + (leftOut.count > 20 ? " and \(leftOut.count - 20) more" : "")
        return "[system_accounts]: \(leftOut.count) account\(leftOut.count == 1 ? "" : "s") with uid \(uidRange.lowerBound)–\(uidRange.upperBound) "
            + "\(leftOut.count == 1 ? "has" : "have") no ~/\(maildirName) and \(leftOut.count == 1 ? "is" : "are") left out: \(names)"
    }

    func validate(origin: String) throws(ConfigError) {
        for (key, value) in [("uid_min", uidMin), ("uid_max", uidMax)] {
            if let value, UInt32(exactly: value) == nil {
                throw ConfigError("\(origin): system_accounts.\(key) \(value) is not a uid (0 to \(UInt32.max))")
            }
        }
        let low = uidMin ?? Int(SystemAccounts.defaultUIDRange.lowerBound)
        let high = uidMax ?? Int(SystemAccounts.defaultUIDRange.upperBound)
        guard low <= high else { throw ConfigError("\(origin): system_accounts.uid_min \(low) is above uid_max \(high)") }
        guard !maildirName.isEmpty, !maildirName.hasPrefix("/"), !maildirName.split(separator: "/").contains("..") else {
            throw ConfigError("\(origin): system_accounts.maildir \"\(maildirName)\" must be a path inside the home directory, such as \"Maildir\"")
        }
    }

    /// The system's accounts in the range, split into those with a Maildir and those without.
    func accounts() -> (found: [SystemAccount], without: [SystemAccount]) {
        select(from: SystemAccounts.list(uidRange: uidRange))
    }

    /// `candidates` (in the range already) without the excluded ones, split by whether their
    /// home holds the Maildir.
    func select(from candidates: [SystemAccount]) -> (found: [SystemAccount], without: [SystemAccount]) {
        let excluded = Set(exclude ?? [])
        var found: [SystemAccount] = []
        var without: [SystemAccount] = []
        for account in candidates where !excluded.contains(account.name) {
            var isDirectory: ObjCBool = false
            let cur = (account.maildir(named: maildirName) as NSString).appendingPathComponent("cur")
            if FileManager.default.fileExists(atPath: cur, isDirectory: &isDirectory), isDirectory.boolValue {
                found.append(account)
            } else {
                without.append(account)
            }
        }
        return (found, without)
    }
}
