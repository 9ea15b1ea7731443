/// `courierimapkeywords/:list`, Courier's snapshot of the keywords of a folder:
///
/// ```
/// <keyword 0>\n
/// <keyword 1>\n
/// \n                               (an empty line ends the keyword index)
/// <base-filename>:<i> <j> ...\n    (indexes into the list above)
/// ```
///
/// Parsed as Courier's `maildir_kwImport` does: keyword lines up to the first empty line
/// (or the end of the file, in which case no message lines follow); a message line is
/// the name before the first `:` and space-separated indexes read with `atoi` (so garbage
/// counts as 0, as in Courier), indexes past the list are ignored, a line without `:` is
/// skipped, and a later line for the same file replaces an earlier one.
public struct CourierKeywordList: Hashable, Sendable {
    public static let fileName = ":list"

    public struct Entry: Hashable, Sendable {
        /// The message's base file name.
        public let base: String
        /// Keyword indexes as written (may repeat or exceed the list).
        public let indexes: [Int64]
        public let line: Int
    }

    /// The keyword lines, raw (before Courier's renaming and case folding).
    public let keywordLines: [[UInt8]]
    /// Message lines in file order.
    public let entries: [Entry]
    public let diagnostics: [MaildirDiagnostic]

    public static func parse(_ bytes: [UInt8], path: String) -> CourierKeywordList {
        var keywordLines: [[UInt8]] = []
        var entries: [Entry] = []
        var diagnostics: [MaildirDiagnostic] = []
        var lines = LineSplitter.lines(bytes)[...]
        var sawSeparator = false
        while let line = lines.popFirst() {
            if line.isEmpty {
                sawSeparator = true
                break
            }
            keywordLines.append(Array(line.bytes))
        }
        if sawSeparator {
            for line in lines {
                guard let colon = line.bytes.firstIndex(of: UInt8(ascii: ":")) else {
                    if !line.isEmpty {
                        diagnostics.append(MaildirDiagnostic(.warning, .skippedLine, path: path, line: line.number, "no ':' after the file name"))
                    }
                    continue
                }
                guard let base = String(validating: line.bytes[..<colon], as: UTF8.self), !base.isEmpty else {
                    diagnostics.append(MaildirDiagnostic(.warning, .skippedLine, path: path, line: line.number, "file name empty or not UTF-8"))
                    continue
                }
                let tokens = line.bytes[(colon + 1)...].split(separator: 0x20)
                var indexes: [Int64] = []
                for token in tokens {
                    if token.decimal() == nil {
                        diagnostics.append(MaildirDiagnostic(
                            .warning, .skippedLine, path: path, line: line.number, messageBase: base,
                            "index '\(String(decoding: token, as: UTF8.self))' is not a number; Courier reads it as \(token.cLeadingInteger())"))
                    }
                    indexes.append(token.cLeadingInteger())
                }
                entries.append(Entry(base: base, indexes: indexes, line: line.number))
            }
        }
        return CourierKeywordList(keywordLines: keywordLines, entries: entries, diagnostics: diagnostics)
    }
}
