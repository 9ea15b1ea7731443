/// The keywords Courier shows for each message of a folder, combining `:list` with the
/// update files, as `maildir_kwRead` does:
///
/// 1. a fresh update file `<base>` wins;
/// 2. otherwise the aged update `.N.<base>` with the largest N;
/// 3. otherwise the `:list` entry;
/// 4. entries for files that no longer exist are ignored.
///
/// An update file holds one keyword per line and ends at the first empty line (Courier's
/// reader stops there); an empty file means "no keywords". Names are renamed and
/// case-folded by ``CourierKeywordNames``, `:list` spellings first.
struct CourierKeywordResolver {
    /// The raw content of the chosen update file of each base.
    struct Update: Sendable {
        let fileName: String
        let content: [UInt8]
    }

    /// Keywords per message base, each list sorted and without case duplicates.
    let keywordsByBase: [String: [String]]
    let diagnostics: [MaildirDiagnostic]

    init(list: CourierKeywordList?, updates: [String: Update], bases: Set<String>, directory: String) {
        var names = CourierKeywordNames()
        var diagnostics = list?.diagnostics ?? []
        let listPath = FileSystem.join(directory, CourierKeywordList.fileName)
        var index: [String?] = []
        for line in list?.keywordLines ?? [] {
            index.append(names.canonical(line[...]))
        }
        var result: [String: Set<String>] = [:]
        for entry in list?.entries ?? [] where bases.contains(entry.base) {
            var set: Set<String> = []
            for number in entry.indexes where number >= 0 && number < Int64(index.count) {
                if let keyword = index[Int(number)] { set.insert(keyword) }
            }
            result[entry.base] = set
        }
        if let list {
            let stale = Set(list.entries.map(\.base)).subtracting(bases)
            if !stale.isEmpty {
                diagnostics.append(MaildirDiagnostic(
                    .info, .staleDatabaseEntry, path: listPath, "\(stale.count) entries for files that no longer exist are ignored"))
            }
        }
        for base in updates.keys.sorted() {
            guard let update = updates[base], bases.contains(base) else { continue }
            var set: Set<String> = []
            for line in LineSplitter.lines(update.content) {
                if line.isEmpty { break }
                if let keyword = names.canonical(line.bytes) { set.insert(keyword) }
            }
            result[base] = set
        }
        for (original, fixed) in names.renamed {
            diagnostics.append(MaildirDiagnostic(
                .info, .keywordRenamed, path: directory,
                "keyword '\(original)' has characters IMAP forbids; Courier shows it as '\(fixed)'"))
        }
        self.keywordsByBase = result.filter { !$0.value.isEmpty }.mapValues { $0.sorted() }
        self.diagnostics = diagnostics
    }
}
