import IMAPClient
import IMAPCodec
import Logging
import MailModel

/// The work of `mirror purge`: find the mirror's tagged copies in one IMAP account and,
/// when asked, delete exactly those.
public enum MirrorPurge {
    public struct Report: Sendable {
        public struct Folder: Sendable {
            public var name: String
            public var copies: Int
        }

        public var user: String
        public var folders: [Folder] = []
        public var applied: Bool
        public var total: Int { folders.map(\.copies).reduce(0, +) }
    }

    /// Search every selectable folder for `X-Mailferry-Mirror`; with `apply`, flag those
    /// messages \Deleted and remove them with UID EXPUNGE (only those UIDs: a server without
    /// UIDPLUS is refused rather than expunging other \Deleted mail).
    public static func run(_ spec: IMAPAccountSpec, apply: Bool, logger: Logger) async throws -> Report {
        try await IMAPConnection.withAuthenticatedConnection(
            to: spec.endpoint, configuration: spec.configuration, logger: logger, credentials: spec.credentials
        ) { connection in
            if apply && !connection.capabilities.contains(.uidPlus) {
                throw IMAPClientError(.unsupported("UIDPLUS (UID EXPUNGE)"))
            }
            var report = Report(user: spec.url.user, applied: apply)
            for info in try await connection.list() where info.isSelectable {
                let selected = try await connection.select(info.path)
                guard selected.messageCount > 0 else { continue }
                let uids = try await connection.search(.header("X-Mailferry-Mirror", ""))
                guard !uids.isEmpty else { continue }
                if apply {
                    let set = UIDSet(uids)
                    _ = try await connection.store(set, StoreOperation(.add, flags: [.deleted]))
                    try await connection.expunge(set)
                }
                let name = (try? connection.name(of: info.path)).map { "\($0)" } ?? info.path.description
                report.folders.append(Report.Folder(name: name, copies: uids.count))
            }
            return report
        }
    }
}
