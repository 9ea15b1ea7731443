import IMAPClient
import IMAPCodec
import Logging
import MailModel

/// The work of `imap probe`: log in, read namespaces and folders, count each folder.
enum IMAPProbe {
    static func run(_ spec: IMAPAccountSpec, logger: Logger) async throws -> IMAPProbeReport {
        try await IMAPConnection.withConnection(to: spec.endpoint, configuration: spec.configuration, logger: logger) { connection in
            if connection.capabilities.isEmpty { try await connection.refreshCapabilities() }
            let credentials = try spec.credentials(serverOffersPlain: connection.capabilities.contains(.auth("PLAIN")))
            try await connection.authenticate(credentials)
            var report = IMAPProbeReport(
                server: "\(spec.url.host):\(spec.url.port)", user: credentials.effectiveUser, security: spec.endpoint.security,
                verified: connection.isTLS && !spec.tls.insecure,
                capabilities: connection.capabilities.map(\.rawValue).sorted(),
                namespace: try await connection.namespace()
            )
            let folders = try await connection.list()
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
}
