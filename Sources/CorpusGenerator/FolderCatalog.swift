/// The folders a corpus draws from, in order: `--folders N` takes the first N. The first 14
/// already cover what real Courier mailboxes hold and what breaks migration tools: the
/// special folders, hierarchy (with and without a parent maildir), non-ASCII names stored
/// as UTF-8, spaces and `&`.
public enum FolderCatalog {
    public static let inbox = CorpusFolder(name: "", weight: 40, role: .inbox)

    public static let all: [CorpusFolder] = [
        CorpusFolder(name: "Sent", weight: 12, role: .sent),
        CorpusFolder(name: "Drafts", weight: 1.5, role: .drafts),
        CorpusFolder(name: "Trash", weight: 3, role: .trash),
        CorpusFolder(name: "Junk", weight: 2, subscribed: false, role: .junk),
        CorpusFolder(name: "Archive", weight: 5),
        CorpusFolder(name: "Archive.2019", weight: 8, years: 2019...2019),
        CorpusFolder(name: "Entwürfe", weight: 1.5, role: .drafts),
        CorpusFolder(name: "Family & Friends", weight: 4),
        // Its parent "Lists" has no maildir of its own: Courier lists it as a hierarchy node.
        CorpusFolder(name: "Lists.debian-user", weight: 8, subscribed: false),
        CorpusFolder(name: "Receipts 2021", weight: 2, years: 2021...2021),
        CorpusFolder(name: "Privé", weight: 2),
        CorpusFolder(name: "日本語", weight: 1),
        CorpusFolder(name: "Ünïcödé", weight: 1),
        CorpusFolder(name: "Ünïcödé.Sub Folder", weight: 1),
        CorpusFolder(name: "Archive.2020", weight: 6, years: 2020...2020),
        CorpusFolder(name: "Projects.Alpha", weight: 2),
        CorpusFolder(name: "Projects", weight: 1),
        CorpusFolder(name: "Projects.Alpha.Specs", weight: 1),
        CorpusFolder(name: "AT&T", weight: 1),
        CorpusFolder(name: "Newsletters", weight: 4, subscribed: false),
    ]

    /// INBOX followed by the first `count` catalog folders.
    public static func folders(count: Int) -> [CorpusFolder] {
        [inbox] + all.prefix(count)
    }

    /// A subscription Courier keeps for a folder that no longer exists (real mailboxes have
    /// them; a migration must not create the folder nor fail on it).
    public static let staleSubscription = "INBOX.Old Projects"
}
