/// `courierimapsubscribed`: one full IMAP folder name per line (`INBOX`, `INBOX.Sent`,
/// `#shared.firmwide.golf`), in the folder name encoding of the Courier version that wrote
/// it (modified UTF-7 before 5.0, UTF-8 after `maildirmake --convutf8`).
public struct CourierSubscriptions: Hashable, Sendable {
    public static let fileName = "courierimapsubscribed"

    /// What one subscription line means.
    public enum Entry: Hashable, Sendable {
        /// `INBOX` in any case.
        case inbox
        /// `INBOX.<levels>`: a private folder, with decoded levels.
        case folder(levels: [String])
        /// `#shared.…` (or Courier's old `shared.…`): a shared folder, not part of the
        /// private mailbox.
        case shared(name: String)
    }

    public struct Line: Hashable, Sendable {
        public let name: String
        public let line: Int
    }

    /// Non-empty lines in file order (names as written).
    public let lines: [Line]
    public let diagnostics: [MaildirDiagnostic]

    public static func parse(_ bytes: [UInt8], path: String) -> CourierSubscriptions {
        var lines: [Line] = []
        var diagnostics: [MaildirDiagnostic] = []
        for line in LineSplitter.lines(bytes) where !line.isEmpty {
            guard let text = line.text else {
                diagnostics.append(MaildirDiagnostic(.warning, .skippedLine, path: path, line: line.number, "not UTF-8"))
                continue
            }
            lines.append(Line(name: text, line: line.number))
        }
        return CourierSubscriptions(lines: lines, diagnostics: diagnostics)
    }

    /// Interpret every line: strip `INBOX.` (any case), decode the rest as folder levels,
    /// drop a trailing `.` (reported), and report names outside the private namespace.
    /// Duplicates (after decoding) are listed once.
    public func entries(decoding: FolderNameDecoding, path: String) -> (entries: [Entry], diagnostics: [MaildirDiagnostic]) {
        var entries: [Entry] = []
        var diagnostics = self.diagnostics
        for line in lines {
            var name = line.name
            if name.hasPrefix("#") || name.hasPrefix("shared.") {
                diagnostics.append(MaildirDiagnostic(
                    .warning, .sharedFolderSkipped, path: path, line: line.line,
                    "'\(name)' is a shared folder, not part of this mailbox; not subscribed on the destination"))
                if !entries.contains(.shared(name: name)) { entries.append(.shared(name: name)) }
                continue
            }
            if name.utf8.count > 5, name.utf8.last == UInt8(ascii: ".") {
                diagnostics.append(MaildirDiagnostic(
                    .warning, .subscriptionTrailingSeparator, path: path, line: line.line, "'\(name)' ends with '.'; subscribed without it"))
                name.removeLast()
            }
            let prefix = name.prefix(6)
            if name.count == 5, name.uppercased() == "INBOX" {
                if !entries.contains(.inbox) { entries.append(.inbox) }
                continue
            }
            guard prefix.count == 6, prefix.uppercased() == "INBOX." else {
                diagnostics.append(MaildirDiagnostic(
                    .warning, .subscriptionOutsideInbox, path: path, line: line.line,
                    "'\(name)' is outside Courier's INBOX. namespace; not subscribed on the destination"))
                continue
            }
            do {
                let decoded = try MaildirFolderName.decode(name: String(name.dropFirst(6)), decoding: decoding, path: path)
                let entry = Entry.folder(levels: decoded.levels)
                if !entries.contains(entry) { entries.append(entry) }
            } catch {
                diagnostics.append(MaildirDiagnostic(.error, .invalidFolderName, path: path, line: line.line, error.detail))
            }
        }
        return (entries, diagnostics)
    }
}
