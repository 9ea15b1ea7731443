import Foundation
import IMAPClient
import IMAPCodec
import MailModel
import Migration

/// `imap probe` output: a table for people, JSON for scripts.
extension IMAPProbeReport {
    var securityText: String {
        switch security {
        case .implicitTLS: return verified ? "TLS, certificate verified" : "TLS, certificate NOT verified (--insecure)"
        case .startTLS: return verified ? "STARTTLS, certificate verified" : "STARTTLS, certificate NOT verified (--insecure)"
        case .none: return "no TLS"
        }
    }

    func text(elapsed: Duration) -> String {
        var lines: [String] = []
        lines.append("server        \(server) as \(user) (\(securityText))")
        lines.append("capabilities  \(capabilities.joined(separator: " "))")
        func describe(_ list: [NamespaceDescription]) -> String {
            list.isEmpty ? "none" : list.map { "\"\($0.prefix.description)\" (separator \($0.separator.map { "\"\($0)\"" } ?? "none"))" }.joined(separator: ", ")
        }
        lines.append("namespace     personal \(describe(namespace.personal)); other users \(describe(namespace.otherUsers)); shared \(describe(namespace.shared))")
        let totalMessages = folders.compactMap(\.messages).reduce(0, +)
        let totalBytes = folders.compactMap(\.bytes).reduce(0, +)
        lines.append("")
        var table = TextTable(header: ["folder", "attributes", "messages", "size", "uidvalidity", "subscribed"])
        for folder in folders {
            table.rows.append([
                folder.displayName,
                folder.info.attributes.map(\.rawValue).joined(separator: " "),
                folder.messages.map(String.init) ?? "-",
                folder.bytes.map(ByteFormatting.size) ?? "-",
                folder.uidValidity.map { "\($0)" } ?? "-",
                folder.subscribed ? "yes" : "no",
            ])
        }
        lines.append(table.render())
        lines.append("")
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        lines.append("\(folders.count) folders, \(totalMessages) messages, \(ByteFormatting.size(totalBytes)) (\(totalBytes) bytes) in \(ByteFormatting.duration(seconds))")
        return lines.joined(separator: "\n")
    }

    func json() -> String {
        func namespaces(_ list: [NamespaceDescription]) -> [[String: Any]] {
            list.map { ["prefix": $0.prefix.description, "separator": $0.separator.map { String($0) } as Any] }
        }
        let object: [String: Any] = [
            "server": server,
            "user": user,
            "tls": security != .none,
            "certificateVerified": verified,
            "capabilities": capabilities,
            "namespace": ["personal": namespaces(namespace.personal), "otherUsers": namespaces(namespace.otherUsers), "shared": namespaces(namespace.shared)],
            "folders": folders.map { folder -> [String: Any] in
                [
                    "name": folder.name?.name as Any,
                    "wireName": folder.info.path.description,
                    "separator": folder.info.path.separator.map { String($0) } as Any,
                    "attributes": folder.info.attributes.map(\.rawValue),
                    "selectable": folder.info.isSelectable,
                    "subscribed": folder.subscribed,
                    "messages": folder.messages as Any,
                    "bytes": folder.bytes as Any,
                    "uidValidity": folder.uidValidity.map { Int($0.rawValue) } as Any,
                    "uidNext": folder.uidNext.map { Int($0.rawValue) } as Any,
                ]
            },
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
