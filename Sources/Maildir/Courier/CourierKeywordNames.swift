/// Courier's keyword name rules (`maildirkeywords.c`, with the settings `imapd.c` uses):
/// characters that IMAP forbids in atoms become `_`, and names compare case-insensitively
/// (ASCII only, as `strcasecmp` in the C locale); the first spelling seen is the one shown.
struct CourierKeywordNames {
    /// `KEYWORD_IMAPVERBOTTEN` in `imap/imapd.c`.
    static let forbidden: Set<UInt8> = Set(" (){%*\"\\]".utf8)

    private var spellingByKey: [[UInt8]: String] = [:]
    private(set) var renamed: [(original: String, fixed: String)] = []

    /// The canonical spelling for `raw` (registering it if it is new), or `nil` for an
    /// empty name.
    mutating func canonical(_ raw: ArraySlice<UInt8>) -> String? {
        guard !raw.isEmpty else { return nil }
        let fixedBytes = raw.map { CourierKeywordNames.forbidden.contains($0) ? UInt8(ascii: "_") : $0 }
        let fixed = String(decoding: fixedBytes, as: UTF8.self)
        if fixedBytes != Array(raw), !renamed.contains(where: { $0.original == String(decoding: raw, as: UTF8.self) }) {
            renamed.append((String(decoding: raw, as: UTF8.self), fixed))
        }
        let key = fixedBytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        if let existing = spellingByKey[key] { return existing }
        spellingByKey[key] = fixed
        return fixed
    }
}
