import IMAPClient
import IMAPCodec
import Logging
import MailModel

/// The work of `imap probe`: log in, read namespaces and folders, count each folder.
public enum IMAPProbe {
    public static func run(_ spec: IMAPAccountSpec, logger: Logger) async throws -> IMAPProbeReport {
        try await IMAPConnection.withAuthenticatedConnection(
            to: spec.endpoint, configuration: spec.configuration, logger: logger, credentials: spec.credentials
        ) { connection in
            var report = IMAPProbeReport(
                server: "\(spec.url.host):\(spec.url.port)", user: spec.url.user, security: spec.endpoint.security,
                verified: connection.isTLS && !spec.tls.insecure,
                capabilities: connection.capabilities.map(\.rawValue).sorted(),
                namespace: try await connection.namespace()
            )
            // INBOX first, then the hierarchy in name order, as a mail client shows it.
            let listed = try await connection.list()
            let names: [String] = listed.map { info in (try? connection.name(of: info.path))?.name ?? String(decoding: info.path.wire, as: UTF8.self) }
            let order: [Int] = listed.indices.sorted { Self.displayOrder(names[$0], names[$1]) }
            let folders: [MailboxInfo] = order.map { listed[$0] }
            let subscribed = Set(try await connection.listSubscribed().map(\.path.wire))
            for info in folders {
                var folder = IMAPProbeReport.Folder(info: info, name: try? connection.name(of: info.path), subscribed: subscribed.contains(info.path.wire))
                if info.isSelectable {
                    let selected = try await connection.select(info.path)
                    folder.uidValidity = selected.uidValidity
                    folder.uidNext = selected.uidNext
                    folder.messages = selected.messageCount
                    var bytes = 0
                    if selected.messageCount > 0 {
                        try await connection.fetchMetadata { bytes += $0.summary.size }
                    }
                    folder.bytes = bytes
                }
                report.folders.append(folder)
            }
            return report
        }
    }

    /// INBOX first, then by name.
    public static func displayOrder(_ a: String, _ b: String) -> Bool {
        let aInbox = a.uppercased() == "INBOX"
        let bInbox = b.uppercased() == "INBOX"
        if aInbox != bInbox { return aInbox }
        return a < b
    }
}
