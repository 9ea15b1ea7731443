import Foundation
import MailModel

/// Writes one account's corpus into a Courier Maildir++ root: folders with `maildirfolder`,
/// messages in `cur/` (flags in the `:2,` suffix) or `new/`, mtimes as INTERNALDATE,
/// `courierimapkeywords/:list` per folder, `courierimapsubscribed`, all owned by the user.
public struct CorpusWriter {
    public let planner: CorpusPlanner
    public let composer: MessageComposer
    public let seed: UInt64
    public let user: String

    /// Host part of the file names, as Courier's delivery host would write it.
    public var host = "mx.old.test"

    public init(profile: CorpusProfile, seed: UInt64, user: String, domain: String = "old.test") {
        self.planner = CorpusPlanner(profile: profile, seed: seed, user: user)
        self.composer = MessageComposer(user: user, domain: domain, seed: seed)
        self.seed = seed
        self.user = user
    }

    /// Generates into `root`. Refuses a Maildir that already holds mail unless `replace`,
    /// which first empties it. `progress` is called after each message with (done, total).
    public func write(
        into root: String, owner: CorpusOwner?, replace: Bool, progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> CorpusManifest {
        try planner.profile.validate()
        try prepare(root: root, replace: replace)
        let fs = CorpusFileSystem(owner: owner)
        let folders = planner.folders
        try fs.makeDirectory(root)
        for folder in folders {
            let dir = folder.directory.isEmpty ? root : root + "/" + folder.directory
            for sub in ["", "/cur", "/new", "/tmp"] { try fs.makeDirectory(dir + sub) }
            if !folder.directory.isEmpty { try fs.writeFile(dir + "/maildirfolder", []) }
        }

        var entries = Array(repeating: [CorpusManifest.Message](), count: folders.count)
        var keywordLines = Array(repeating: [(base: String, keywords: [String])](), count: folders.count)
        let plans = planner.plan()
        var totalBytes = 0
        for plan in plans {
            let folder = folders[plan.folder]
            let bytes = composer.compose(plan, role: folder.role)
            let base = MaildirFileName.base(for: plan, size: bytes.count, host: host)
            let relative = MaildirFileName.relativePath(base: base, plan: plan)
            let dir = folder.directory.isEmpty ? root : root + "/" + folder.directory
            try fs.writeFile(dir + "/" + relative, bytes, mtime: plan.internalDate)
            totalBytes += bytes.count
            if !plan.keywords.isEmpty { keywordLines[plan.folder].append((base, plan.keywords)) }
            entries[plan.folder].append(CorpusManifest.Message(
                file: relative, sha256: MessageFingerprint.of(bytes).hex, size: bytes.count,
                flags: CorpusManifest.imapFlags(plan.flags), keywords: plan.keywords, internalDate: plan.internalDate,
                date: CivilDate.rfc5322(plan.date, zoneMinutes: plan.zoneMinutes),
                messageID: plan.messageID.map { "<\($0)>" }, edgeCases: plan.edgeCases.sorted { $0.rawValue < $1.rawValue }))
            progress(plan.index + 1, plans.count)
        }

        for (index, lines) in keywordLines.enumerated() where !lines.isEmpty {
            let folder = folders[index]
            let dir = (folder.directory.isEmpty ? root : root + "/" + folder.directory) + "/courierimapkeywords"
            try fs.makeDirectory(dir)
            try fs.writeFile(dir + "/:list", Array(CourierKeywords.list(lines).utf8))
        }
        let subscriptions = ["INBOX"] + folders.filter { $0.subscribed && !$0.name.isEmpty }.map(\.imapName)
            + [FolderCatalog.staleSubscription]
        try fs.writeFile(root + "/courierimapsubscribed", Array(subscriptions.map { $0 + "\n" }.joined().utf8))

        return CorpusManifest(
            seed: seed, user: user, profile: planner.profile, subscriptions: subscriptions,
            folders: folders.enumerated().map { index, folder in
                CorpusManifest.Folder(name: folder.imapName, directory: folder.directory, subscribed: folder.subscribed,
                                      messages: entries[index])
            },
            totalMessages: plans.count, totalBytes: totalBytes)
    }

    /// A Maildir "holds mail" if it has messages in cur/ or new/, folders, or Courier state.
    func prepare(root: String, replace: Bool) throws {
        let fm = FileManager.default
        guard let entries = try? fm.contentsOfDirectory(atPath: root) else { return }
        let occupied = entries.contains { entry in
            if entry == "tmp" { return false }
            if entry == "cur" || entry == "new" {
                return !((try? fm.contentsOfDirectory(atPath: root + "/" + entry)) ?? []).isEmpty
            }
            return true
        }
        guard occupied else { return }
        guard replace else { throw CorpusError.maildirNotEmpty(root) }
        for entry in entries {
            try fm.removeItem(atPath: root + "/" + entry)
        }
    }
}
