import Foundation
import PostfixControl

/// What the instance looked like before the hold: the parameters and master.cf services the
/// cutover changes, and the messages already on hold (the site's own, never released by
/// mailferry). Written once, before the first change; a repeated hold keeps it.
public struct CutoverBackup: Hashable, Sendable, Codable {
    public var postfix: PostfixBackup
    /// `name/type` → the `postconf -M` line before, or nil when the service did not exist.
    public var services: [String: String?]
    /// Queue ids in the hold queue when the hold began.
    public var heldBefore: [String]

    public init(postfix: PostfixBackup, services: [String: String?], heldBefore: [String]) {
        self.postfix = postfix
        self.services = services
        self.heldBefore = heldBefore
    }
}

extension PostfixHost {
    var backupPath: String { "\(mailferryDirectory)/\(CutoverDomains.backupFile)" }

    /// The backup taken when the hold began, or nil when there is none.
    public func cutoverBackup() async throws -> CutoverBackup? {
        guard let bytes = try await host.readFile(backupPath) else { return nil }
        do {
            return try JSONDecoder().decode(CutoverBackup.self, from: Data(bytes))
        } catch {
            throw CutoverError.file(host: host.name, path: backupPath, reason: "unreadable backup: \(error)")
        }
    }
}
