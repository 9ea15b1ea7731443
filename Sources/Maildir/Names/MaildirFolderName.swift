import MailModel

/// Maildir++ folder directory names: a folder is the directory `.<level1>.<level2>…` under
/// the Maildir root, the root itself being INBOX.
///
/// This type converts between that directory name and the folder's decoded levels
/// (`[]` for INBOX, `["Archive", "2019"]` for `.Archive.2019`), in either on-disk
/// encoding, and refuses names that would change meaning on the way.
public enum MaildirFolderName {
    /// Maildir++ always separates levels with `.` on disk.
    public static let separator: Character = "."

    /// The result of decoding one on-disk name.
    public struct Decoded: Hashable, Sendable {
        /// Decoded levels; never empty (the root has no directory name).
        public let levels: [String]
        /// The encoding found, or `nil` when the name is plain ASCII and reads the same in both.
        public let encoding: FolderNameEncoding?
        /// True when detection took a bare `&` literally.
        public let literalAmpersand: Bool
    }

    /// Decode the directory name of a folder (with its leading `.`), e.g. `.Sent.2023`.
    public static func decode(directoryName: String, decoding: FolderNameDecoding, path: String) throws(MaildirError) -> Decoded {
        guard directoryName.hasPrefix("."), directoryName.count > 1 else {
            throw MaildirError(.invalidFolderName, path: path, detail: "a folder directory name starts with '.' and is not empty")
        }
        return try decode(name: String(directoryName.dropFirst()), decoding: decoding, path: path)
    }

    /// Decode a folder name as written on disk or in a subscription file (levels joined
    /// with `.`, without the leading `.` of the directory).
    public static func decode(name raw: String, decoding: FolderNameDecoding, path: String) throws(MaildirError) -> Decoded {
        let isASCII = raw.utf8.allSatisfy { $0 < 0x80 }
        var text = raw
        var encoding: FolderNameEncoding?
        var literalAmpersand = false
        switch decoding {
        case .utf8:
            encoding = isASCII ? nil : .utf8
        case .modifiedUTF7:
            do {
                text = try ModifiedUTF7.decode(raw)
            } catch {
                throw MaildirError(.invalidFolderName, path: path, detail: "'\(raw)' is not modified UTF-7: \(error)")
            }
            encoding = raw.contains("&") ? .modifiedUTF7 : nil
        case .detect:
            if !isASCII {
                encoding = .utf8
            } else if raw.contains("&") {
                if let decoded = try? ModifiedUTF7.decode(raw) {
                    text = decoded
                    encoding = .modifiedUTF7
                } else {
                    literalAmpersand = true
                    encoding = .utf8
                }
            }
        }
        let levels = text.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
        for level in levels {
            if let problem = problem(with: level) {
                throw MaildirError(.invalidFolderName, path: path, detail: "'\(raw)': \(problem)")
            }
        }
        return Decoded(levels: levels, encoding: encoding, literalAmpersand: literalAmpersand)
    }

    /// The directory name (with leading `.`) for decoded levels in `encoding`.
    public static func directoryName(levels: [String], encoding: FolderNameEncoding) throws(MaildirError) -> String {
        "." + (try name(levels: levels, encoding: encoding))
    }

    /// The levels encoded and joined with `.` (no leading `.`): the storage name Dovecot
    /// uses in v1 subscription files.
    public static func name(levels: [String], encoding: FolderNameEncoding) throws(MaildirError) -> String {
        guard !levels.isEmpty else {
            throw MaildirError(.unrepresentableFolderName, path: "INBOX", detail: "INBOX is the Maildir root, not a folder directory")
        }
        var encoded: [String] = []
        for level in levels {
            encoded.append(try encode(level: level, encoding: encoding))
        }
        return encoded.joined(separator: String(separator))
    }

    /// One level in the on-disk encoding; refuses what Maildir++ cannot store.
    public static func encode(level: String, encoding: FolderNameEncoding) throws(MaildirError) -> String {
        if let problem = problem(with: level) {
            throw MaildirError(.unrepresentableFolderName, path: level, detail: problem)
        }
        if level.contains(separator) {
            throw MaildirError(
                .unrepresentableFolderName, path: level,
                detail: "a folder level cannot contain '.' in a Maildir++ layout (it separates levels on disk)")
        }
        switch encoding {
        case .utf8: return level
        case .modifiedUTF7: return ModifiedUTF7.encode(level)
        }
    }

    private static func problem(with level: String) -> String? {
        if level.isEmpty { return "empty level (a leading, trailing or doubled '.')" }
        if level.contains("/") { return "'/' cannot be stored in a directory name" }
        if level.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "control characters are not allowed in folder names"
        }
        return nil
    }
}
