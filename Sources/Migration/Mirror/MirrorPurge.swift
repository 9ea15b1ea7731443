import IMAPClient
import IMAPCodec
import Logging
import MailModel
import NIOCore
import Relay

/// The work of `mirror purge`: find the mirror's tagged copies in one IMAP account (or one
/// Dovecot Maildir, MirrorPurge+Maildir.swift) and, when asked, delete exactly those whose
/// tag verifies under the mirror's key.
public enum MirrorPurge {
    public struct Report: Sendable {
        public struct Folder: Sendable {
            public var name: String
            public var copies: Int
            /// Messages with a tag header that does not verify: never deleted, listed.
            public var unverified: [UID] = []
        }

        public var user: String
        public var folders: [Folder] = []
        public var applied: Bool
        public var total: Int { folders.map(\.copies).reduce(0, +) }
        public var unverified: Int { folders.map(\.unverified.count).reduce(0, +) }
    }

    /// The most of a message's tag fields read; a mirror copy has one short line.
    public static let headerLimit = 4096

    /// Search every selectable folder for the tag header, verify each candidate's tag with
    /// `tag`; with `apply`, flag the verified copies \Deleted and remove them with UID
    /// EXPUNGE (only those UIDs: a server without UIDPLUS is refused rather than expunging
    /// other \Deleted mail). Candidates whose tag does not verify are left and listed.
    public static func run(_ spec: IMAPAccountSpec, tag: MirrorTag, apply: Bool, logger: Logger) async throws -> Report {
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
                let candidates = try await connection.search(.header(MirrorTag.headerName, ""))
                guard !candidates.isEmpty else { continue }
                let (copies, unverified) = try await verify(candidates, tag: tag, on: connection)
                if apply && !copies.isEmpty {
                    let set = UIDSet(copies)
                    _ = try await connection.store(set, StoreOperation(.add, flags: [.deleted]))
                    try await connection.expunge(set)
                }
                let name = (try? connection.name(of: info.path)).map { "\($0)" } ?? info.path.description
                report.folders.append(Report.Folder(name: name, copies: copies.count, unverified: unverified))
            }
            return report
        }
    }

    /// Split `candidates` into the mirror's copies and the rest, by their tag fields.
    public static func verify(_ candidates: [UID], tag: MirrorTag, on connection: IMAPConnection) async throws -> (copies: [UID], unverified: [UID]) {
        var headers: [UID: [UInt8]] = [:]
        var current: [UInt8] = []
        let section = SectionSpecifier(kind: .headerFields([MirrorTag.headerName]))
        try await connection.fetchBodies(UIDSet(candidates), section: section) { event in
            switch event {
            case .begin: current = []
            case .bytes(let bytes):
                let room = headerLimit - current.count
                if room > 0 { current += bytes.readableBytesView.prefix(room) }
            case .end(let message): headers[message.uid] = current
            }
        }
        var copies: [UID] = []
        var unverified: [UID] = []
        for uid in candidates.sorted() {
            // A message gone meanwhile has no header here: nothing to delete, nothing to list.
            guard let header = headers[uid] else { continue }
            if tag.verifyHeader(header) != nil { copies.append(uid) } else { unverified.append(uid) }
        }
        return (copies, unverified)
    }
}
