import Cutover
import Foundation

/// Maildir++ folders whose names on disk are not valid UTF-8, in each account's Maildir on
/// the old host. Courier writes folder names as UTF-8 (modified UTF-7 before Courier-IMAP
/// 5), never as invalid UTF-8, so such a name was made by something else (a shell, another
/// server, a restored backup). Courier's IMAP server drops the connection when LIST reaches
/// it, so neither the sync nor the plan can read the account. The plan finds them on disk,
/// before the move, where the fix (a rename) is easy.
public struct FolderNameCheck: Sendable {
    public var host: any Cutover.Host
    /// The Maildir below each home (Courier's default, `./Maildir`).
    public var maildir: String
    /// A report names this many folders of one account at most.
    static let maximumNamed = 20

    public init(host: any Cutover.Host, maildir: String = "Maildir") {
        self.host = host
        self.maildir = maildir
    }

    /// The folder directories (`.Name`) of the Maildir at `path`, as raw bytes: `find` prints
    /// them NUL-separated and base64 carries them unchanged.
    static let script = #"find "$1" -mindepth 1 -maxdepth 1 -type d -name '.*' -printf '%f\0' | base64 -w0"#

    public func run(accounts: [String]) async -> [PlanFinding] {
        var findings: [PlanFinding] = []
        for account in accounts {
            do {
                guard let home = try await OldHome.of(account, on: host) else { continue }
                let path = (home as NSString).appendingPathComponent(maildir)
                let invalid = try await invalidNames(in: path)
                guard !invalid.isEmpty else { continue }
                let named = invalid.prefix(Self.maximumNamed).joined(separator: ", ") + (invalid.count > Self.maximumNamed ? " and \(invalid.count - Self.maximumNamed) more" : "")
                findings.append(PlanFinding(area: "accounts", subject: account, severity: .blocker,
                    message: "\(invalid.count) folder name\(invalid.count == 1 ? "" : "s") in \(path) \(invalid.count == 1 ? "is" : "are") not valid UTF-8 (shown with \\x escapes): \(named). Courier's IMAP server drops the connection when LIST reaches such a name, so the account cannot be read by the sync",
                    action: "Rename each folder on the old host to a valid ASCII name before the move, while the user is logged out (ls -b \(path) shows how to type the old name; the messages in it are kept), and fix the name in courierimapsubscribed."))
            } catch {
                findings.append(PlanFinding(area: "accounts", subject: account, severity: .warning,
                                            message: "cannot list the folders of the account's Maildir on \(host.name): \(error)",
                                            action: "Look for folder names that are not valid UTF-8 in its Maildir by hand (ls -b)."))
            }
        }
        return findings
    }

    /// The folder names in the Maildir at `path` that are not valid UTF-8, with each
    /// invalid byte as `\xHH`; none when there is no Maildir.
    func invalidNames(in path: String) async throws -> [String] {
        let output = try await host.run(HostCommand(["/bin/sh", "-c", Self.script, "sh", path], timeout: .seconds(60)))
        guard output.status == 0 else { return [] }
        guard let data = Data(base64Encoded: output.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw CutoverError.file(host: host.name, path: path, reason: "the folder listing did not decode")
        }
        return Self.invalidNames([UInt8](data))
    }

    /// The NUL-separated names that are not valid UTF-8, escaped for a report.
    static func invalidNames(_ listing: [UInt8]) -> [String] {
        listing.split(separator: 0).compactMap { name in
            guard String(validating: name, as: UTF8.self) == nil else { return nil }
            return escaped(Array(name))
        }.sorted()
    }

    /// ASCII as it is, every other byte as `\xHH` (what `ls -b` shows).
    static func escaped(_ bytes: [UInt8]) -> String {
        bytes.map { $0 >= 0x20 && $0 < 0x7F ? String(UnicodeScalar($0)) : String(format: "\\x%02X", $0) }.joined()
    }
}
