import IMAPClient
import IMAPCodec
import MailModel
import NIOCore
import SyncEngine

/// One logged-in IMAP connection seen through the sync engine's protocols.
///
/// The engine uses a session from one task at a time (it is what `withSession` hands out),
/// which is what `IMAPConnection` requires; hence the unchecked `Sendable`.
final class IMAPMailboxSession: MailboxWriter, @unchecked Sendable {
    let connection: IMAPConnection
    let user: String
    /// The open folder, as SELECT reported it.
    var selected: SelectedMailbox?
    /// Set once a SELECT came without UIDNEXT (Courier): from then on STATUS is sent right
    /// behind each SELECT instead of after its answer.
    private var selectLacksUIDNext = false
    /// Flags of the open folder's messages below a UID, read with its SELECT.
    private var prefetchedFlags: (below: UID, flags: [(uid: UID, flags: [Flag])])?
    /// LIST and LSUB as ``hierarchy()`` read them with NAMESPACE, for the ``listFolders()``
    /// that follows it (the engine asks for both at once); taken once.
    private var listedWithNamespace: (folders: [MailboxInfo], subscribed: [MailboxInfo])?
    /// Folders ``openAhead(_:)`` read, each taken by its ``open(_:)``: what SELECT (and STATUS
    /// and the flags below a UID, when asked) said.
    private var readAhead: [MailboxPath: (burst: IMAPConnection.SelectBurst, flagsBelow: UID?)] = [:]

    init(connection: IMAPConnection, user: String) {
        self.connection = connection
        self.user = user
    }

    /// Runs an IMAP operation, translating its failure for the engine.
    func imap<T>(_ operation: () async throws -> T) async throws -> T {
        do {
            return try await operation()
        } catch let error as IMAPClientError {
            throw StoreError(imap: error)
        }
    }

    func hierarchy() async throws -> StoreHierarchy {
        let (namespace, folders, subscribed) = try await imap { try await connection.namespaceAndFolders() }
        listedWithNamespace = (folders, subscribed)
        guard let personal = namespace.personal.first else {
            throw StoreError(.other, "the server has no personal namespace for \(user)")
        }
        let prefix = (try? connection.name(of: personal.prefix).name) ?? String(decoding: personal.prefix.wire, as: UTF8.self)
        return StoreHierarchy(prefix: prefix, separator: personal.separator)
    }

    func listFolders() async throws -> [FolderListing] {
        let folders: [MailboxInfo]
        let subscribed: Set<[UInt8]>
        if let listed = listedWithNamespace {
            listedWithNamespace = nil
            (folders, subscribed) = (listed.folders, Set(listed.subscribed.map(\.path.wire)))
        } else {
            folders = try await imap { try await connection.list() }
            subscribed = Set(try await imap { try await connection.listSubscribed() }.map(\.path.wire))
        }
        return folders.map { info in
            let attributes = info.specialUse.compactMap { SpecialUse(attribute: $0.rawValue) }
            do {
                let name = try connection.name(of: info.path)
                return FolderListing(
                    name: name, isSelectable: info.isSelectable, specialUse: attributes.first,
                    isSubscribed: subscribed.contains(info.path.wire))
            } catch {
                let raw = String(decoding: info.path.wire, as: UTF8.self)
                var listing = FolderListing(name: MailboxName(raw, separator: info.path.separator), isSelectable: info.isSelectable)
                listing.nameError = "its name is not valid modified UTF-7 (\(error)); exclude it with --exclude or fix it on the server"
                return listing
            }
        }
    }

    func open(_ folder: MailboxName) async throws -> FolderStatus {
        try await open(folder, flagsBelow: nil)
    }

    /// When the listing to come needs only flags below a UID: SELECT with the flags FETCH
    /// written right behind it (and STATUS on Courier), the flags kept for that listing.
    func open(_ folder: MailboxName, expecting request: SummaryRequest) async throws -> FolderStatus {
        try await open(folder, flagsBelow: Self.flagsOnlyBelow(request))
    }

    /// The UID below which `request` needs only flags, when it is the listing
    /// ``summaries(flagsOnlyBelow:in:)`` answers.
    static func flagsOnlyBelow(_ request: SummaryRequest) -> UID? {
        guard request.from == nil, request.changedSince == nil, request.bodies == nil else { return nil }
        return request.flagsOnlyBelow
    }

    /// Every announced folder's SELECT, with STATUS and the flags FETCH as ``open(_:flagsBelow:)``
    /// would send them, in one burst; kept until each folder's open. The server then has the
    /// last of them selected: the folder opened from what was read is selected again before a
    /// command that needs it (``inOpenFolder(_:)``).
    var readsAhead: Bool { true }

    func openAhead(_ folders: [PlannedOpen]) async throws {
        readAhead = [:]
        guard folders.count > 1 else { return }
        // Without CONDSTORE, STATUS goes with every SELECT (Courier's has no UIDNEXT; where
        // a SELECT has it, SELECT's value is the one used).
        let asksStatus = selectLacksUIDNext || !connection.capabilities.contains(.condStore)
        let below = folders.map { $0.expecting.flatMap(Self.flagsOnlyBelow) }
        let requests = zip(folders, below).map { planned, below in
            IMAPConnection.SelectRequest(
                mailbox: connection.path(for: planned.folder), status: asksStatus ? [.uidNext] : [], flagsOf: Self.flagSet(below: below))
        }
        let results = try await imap { try await connection.select(requests) }
        for (index, result) in results.enumerated() {
            // A folder that failed is opened as usual, which reports the error.
            guard case .success(let burst) = result else { continue }
            readAhead[requests[index].mailbox] = (burst, below[index])
        }
    }

    /// UIDs 1 to `below` - 1, or nil when there are none.
    private static func flagSet(below: UID?) -> UIDSet? {
        below.flatMap { $0.rawValue > 1 ? UIDSet(ranges: [1...($0.rawValue - 1)]) : nil }
    }

    private func open(_ folder: MailboxName, flagsBelow: UID?) async throws -> FolderStatus {
        let path = connection.path(for: folder)
        // A SELECT that fails leaves no folder selected on the server; nor here.
        selected = nil
        prefetchedFlags = nil
        let flagSet = Self.flagSet(below: flagsBelow)
        var mailbox: SelectedMailbox
        if let ahead = readAhead.removeValue(forKey: path) {
            mailbox = ahead.burst.selected
            if mailbox.uidNext == nil, let uidNext = ahead.burst.status?.uidNext {
                selectLacksUIDNext = true
                mailbox.uidNext = uidNext
            }
            if let flagsBelow, ahead.flagsBelow == flagsBelow, let flags = ahead.burst.flags { prefetchedFlags = (flagsBelow, flags) }
        } else if selectLacksUIDNext || flagSet != nil {
            // A server asked for flags has no CONDSTORE, as Courier, whose SELECT has no
            // UIDNEXT either: STATUS goes in the same burst from the first folder on (where
            // SELECT tells UIDNEXT, SELECT's value is the one used).
            let burst = try await imap { try await connection.select(path, status: [.uidNext], flagsOf: flagSet) }
            mailbox = burst.selected
            if mailbox.uidNext == nil {
                selectLacksUIDNext = true
                mailbox.uidNext = burst.status?.uidNext
            }
            if let flagsBelow, let flags = burst.flags { prefetchedFlags = (flagsBelow, flags) }
        } else {
            mailbox = try await imap { try await connection.select(path) }
        }
        if mailbox.uidNext == nil {
            // Courier sends no UIDNEXT on SELECT; STATUS tells.
            selectLacksUIDNext = true
            let status = try await imap { try await connection.status(path, [.uidNext]) }
            mailbox.uidNext = status.uidNext
        }
        selected = mailbox
        guard let uidValidity = mailbox.uidValidity else {
            throw StoreError(.protocolViolation, "SELECT \(folder) reported no UIDVALIDITY")
        }
        let permanent = mailbox.permanentFlags.map { Set($0.filter { $0.stringValue != "\\*" }) }
        return FolderStatus(
            uidValidity: uidValidity, uidNext: mailbox.uidNext?.rawValue ?? 1, messageCount: mailbox.messageCount,
            highestModSeq: mailbox.highestModSeq, permanentFlags: permanent,
            acceptsNewKeywords: mailbox.permanentFlags == nil || mailbox.allowsNewKeywords)
    }

    /// The folder ``open(_:)`` selected, or an error if none is.
    func openMailbox() throws -> SelectedMailbox {
        guard let selected else { throw StoreError(.protocolViolation, "no folder open") }
        return selected
    }

    /// Runs an IMAP operation on the open folder, selecting it first if the server has
    /// another one selected (it was opened from what ``openAhead(_:)`` read). A folder whose
    /// UIDVALIDITY changed since is a folder error: its UIDs would name other messages.
    @discardableResult
    func inOpenFolder<T>(_ operation: () async throws -> T) async throws -> T {
        let mailbox = try openMailbox()
        if connection.state != .selected(mailbox.path) {
            let now = try await imap { try await connection.select(mailbox.path) }
            guard now.uidValidity == mailbox.uidValidity else {
                selected = nil
                throw StoreError(.folder, "the UIDVALIDITY of \(String(decoding: mailbox.path.wire, as: UTF8.self)) changed while it was synced")
            }
        }
        return try await imap(operation)
    }

    /// The one listing, asking the server for no more than `request` needs: RFC822.SIZE
    /// only where sizes are needed (Courier answers it by reading each whole message), the
    /// bodies with the flags in one pass when the whole folder is read.
    func summaries(_ request: SummaryRequest) async throws -> [MessageSummary] {
        let mailbox = try openMailbox()
        guard mailbox.messageCount > 0 || request.changedSince != nil else { return [] }
        if let sink = request.bodies, request.from == nil, request.changedSince == nil {
            return try await readAll(into: sink)
        }
        if let below = Self.flagsOnlyBelow(request) {
            return try await summaries(flagsOnlyBelow: below, in: mailbox)
        }
        let summaries = try await metadata(from: request.from, changedSince: request.changedSince, sizes: request.needsSizes)
        return try await streamingBodies(of: summaries, for: request)
    }

    /// `UID FETCH from:* (UID FLAGS INTERNALDATE [RFC822.SIZE])`, with CHANGEDSINCE when given.
    private func metadata(from: UID?, changedSince: ModSeq?, sizes: Bool) async throws -> [MessageSummary] {
        let set = UIDSet(ranges: [(from?.rawValue ?? 1)...UInt32.max])
        let metadata = try await inOpenFolder { try await connection.fetchMetadata(set, changedSince: changedSince, sizes: sizes) }
        // "n:*" also returns the last message when n is above every UID (RFC 3501 §6.4.8).
        return metadata.map(\.summary).filter { from == nil || $0.uid >= from! }
    }

    /// Flags only below `below` (read with the SELECT when it was opened expecting this), and
    /// for messages from `below` on, when SELECT says there are any, everything.
    private func summaries(flagsOnlyBelow below: UID, in mailbox: SelectedMailbox) async throws -> [MessageSummary] {
        var result: [MessageSummary] = []
        if below.rawValue > 1 {
            let flags: [(uid: UID, flags: [Flag])]
            if let prefetched = prefetchedFlags, prefetched.below == below {
                flags = prefetched.flags
            } else {
                flags = try await inOpenFolder { try await connection.fetchFlags(UIDSet(ranges: [1...(below.rawValue - 1)])) }
            }
            result = flags.map { MessageSummary(uid: $0.uid, flags: Set($0.flags), internalDate: nil, size: 0) }
        }
        if mailbox.uidNext.map({ $0 > below }) ?? true {
            result += try await metadata(from: below, changedSince: nil, sizes: true)
        }
        return result
    }

    func fetchBodies(_ uids: [UID], into sink: any MessageBodySink) async throws {
        guard !uids.isEmpty else { return }
        try await inOpenFolder {
            try await connection.fetchBodies(UIDSet(uids)) { event in _ = try sink.receive(event) }
        }
    }
}
