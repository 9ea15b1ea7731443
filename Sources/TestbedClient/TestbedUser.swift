import Foundation

/// An account that exists on both servers under the same name: a shell user with
/// `~/Maildir` on the old side, a passwd-file user on the new side. Its password lives in
/// a file, never in code.
public struct TestbedUser: Sendable, Decodable, Hashable {
    public let name: String
    public let passwordFile: String
    /// `name@old.test`: the old Postfix delivers it to `oldMaildir`.
    public let oldAddress: String
    /// `name@new.test`: the new Postfix delivers it over LMTP to `newMaildir`.
    public let newAddress: String
    public let oldHome: String
    public let oldMaildir: String
    public let newHome: String
    public let newMaildir: String
    /// The new side's storage limit, or nil for none (the default). Absent in testbed.json
    /// files written before quotas existed, which means none too.
    public let quota: TestbedQuota?

    /// The password, read from its file (the first line, without its newline).
    public func password() throws -> String {
        try Self.readPassword(at: passwordFile)
    }

    static func readPassword(at path: String) throws -> String {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let line = text.split(separator: "\n", omittingEmptySubsequences: false).first, !line.isEmpty else {
            throw TestbedUnavailable(reason: "password file \(path) is empty")
        }
        return String(line)
    }
}
