import Foundation
import MailModel
import SyncEngine

/// A mail server in memory, behaving like an IMAP server as far as the sync engine can see:
/// UIDs, UIDVALIDITY, UIDNEXT, flags, keywords, subscriptions, optional UIDPLUS and
/// CONDSTORE, a quota, and injectable faults (a connection that dies after the server stored
/// an APPEND but before the client heard about it).
public final class InMemoryMailServer: @unchecked Sendable {
    public struct Message: Sendable {
        public var uid: UID
        public var bytes: [UInt8]
        public var flags: Set<Flag>
        public var date: InternalDate?
        public var modSeq: UInt64
    }

    public struct Folder {
        var uidValidity: UIDValidity
        var uidNext: UInt32 = 1
        var messages: [Message] = []
        var specialUse: SpecialUse?
        var highestModSeq: UInt64 = 1
    }

    public enum Fault {
        /// After this many more messages are stored by APPEND, the connection dies (the last
        /// one is stored, its answer is lost).
        case dropAfterStoring(Int)
        /// The next session cannot log in.
        case refuseLogin
        /// The next `open` fails with a connection error.
        case dropOnOpen
        /// The next APPEND batch loses its connection before the answer, and the server
        /// commits the batch only after `opens` more opens of that folder (a server still finishing a
        /// dead session's command while a new session looks).
        case commitLate(opens: Int)
    }

    /// A folder name as the bytes a server stores: Swift's `String` equality would merge
    /// names that differ only in Unicode normalisation (NFC vs NFD), which real servers keep
    /// as two folders.
    struct Key: Hashable, Comparable {
        let bytes: [UInt8]
        init(_ name: String) { bytes = Array(name.utf8) }
        var name: String { String(decoding: bytes, as: UTF8.self) }
        static func < (lhs: Key, rhs: Key) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }
    }

    private let lock = NSLock()
    private var folders: [Key: Folder] = [:]
    private var subscribed: Set<Key> = []
    private var nextValidity: UInt32 = 1000
    private var faults: [Fault] = []
    private var lateCommits: [(folder: Key, messages: [Message], opensLeft: Int)] = []
    public let hierarchyValue: StoreHierarchy
    public var supportsUIDPLUS = true
    public var supportsCondstore = false
    public var acceptsNewKeywords = true
    public var quotaBytes: Int?
    public private(set) var appendCount = 0
    public private(set) var sessionsOpened = 0
    public private(set) var summaryFetches = 0
    /// Folder opens (SELECT), counted per folder name.
    public private(set) var opens: [String: Int] = [:]
    /// Awaited by a session before it opens a folder (given the folder's name): lets a test
    /// see which opens overlap. Set before a run.
    public var beforeOpen: (@Sendable (String) async -> Void)?
    /// Sessions read ahead (``MailboxReader/readsAhead``): ``beforeOpenAhead`` is then awaited
    /// with the announced folders' names, as a server's burst of SELECTs would begin.
    public var readsAhead = false
    public var beforeOpenAhead: (@Sendable ([String]) async -> Void)?
    /// Awaited by a session before it lists the folders. Set before a run.
    public var beforeListing: (@Sendable () async -> Void)?
    /// Listings that did without sizes (``summariesWithoutSizes(_:)``).
    public private(set) var sizelessListings = 0
    /// Sessions open right now, and the most ever open at once.
    public private(set) var activeSessions = 0
    public private(set) var peakSessions = 0

    /// - Parameter firstValidity: the UIDVALIDITY of INBOX; folders created later count up from it.
    public init(hierarchy: StoreHierarchy, firstValidity: UInt32 = 1000) {
        hierarchyValue = hierarchy
        nextValidity = firstValidity
        folders[Key("INBOX")] = Folder(uidValidity: UIDValidity(nextValidity))
        nextValidity += 1
    }

    public func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    // MARK: Set-up and inspection for tests

    public func addFolder(_ name: String, specialUse: SpecialUse? = nil, subscribed isSubscribed: Bool = false, validity: UInt32? = nil) {
        withLock {
            folders[Key(name)] = Folder(uidValidity: UIDValidity(validity ?? nextValidity), specialUse: specialUse)
            nextValidity += 1
            if isSubscribed { subscribed.insert(Key(name)) }
        }
    }

    @discardableResult
    public func deliver(_ text: String, to folder: String = "INBOX", flags: Set<Flag> = [], date: Int64 = 1_600_000_000) -> UID {
        deliver(Array(text.utf8), to: folder, flags: flags, date: date)
    }

    @discardableResult
    public func deliver(_ bytes: [UInt8], to folder: String, flags: Set<Flag> = [], date: Int64 = 1_600_000_000) -> UID {
        withLock {
            var box = folders[Key(folder)]!
            let uid = UID(exactly: box.uidNext)
            box.uidNext += 1
            box.highestModSeq += 1
            box.messages.append(Message(uid: uid, bytes: bytes, flags: flags, date: InternalDate(secondsSince1970: date), modSeq: box.highestModSeq))
            folders[Key(folder)] = box
            return uid
        }
    }

    public func setFlags(_ flags: Set<Flag>, uid: UID, in folder: String) {
        withLock {
            var box = folders[Key(folder)]!
            box.highestModSeq += 1
            let index = box.messages.firstIndex { $0.uid == uid }!
            box.messages[index].flags = flags
            box.messages[index].modSeq = box.highestModSeq
            folders[Key(folder)] = box
        }
    }

    public func expungeAll(in folder: String, where predicate: (Message) -> Bool) {
        withLock { folders[Key(folder)]!.messages.removeAll(where: predicate) }
    }

    /// Give a folder a new UIDVALIDITY and renumber its messages, as a server does after a
    /// rebuild of its UID database.
    public func renumber(_ folder: String) {
        withLock {
            var box = folders[Key(folder)]!
            box.uidValidity = UIDValidity(nextValidity)
            nextValidity += 1
            box.uidNext = 1
            for index in box.messages.indices {
                box.messages[index].uid = UID(exactly: box.uidNext)
                box.uidNext += 1
            }
            folders[Key(folder)] = box
        }
    }

    /// Commit every APPEND still held back by ``Fault/commitLate(opens:)`` now, as a real
    /// server does shortly after the dead session's last byte.
    public func commitLateAppendsNow() {
        withLock {
            for index in lateCommits.indices { lateCommits[index].opensLeft = 1 }
            for folder in Set(lateCommits.map(\.folder)) { _ = try? open(folder.name) }
        }
    }

    /// Rename a folder keeping its UIDVALIDITY and UIDs, as IMAP RENAME does on Dovecot.
    public func renameFolder(_ name: String, to newName: String) {
        withLock {
            folders[Key(newName)] = folders.removeValue(forKey: Key(name))
            if subscribed.remove(Key(name)) != nil { subscribed.insert(Key(newName)) }
        }
    }

    public func removeFolder(_ name: String) { withLock { folders[Key(name)] = nil; subscribed.remove(Key(name)) } }
    public func unsubscribe(_ name: String) { withLock { _ = subscribed.remove(Key(name)) } }

    public func inject(_ fault: Fault) { withLock { faults.append(fault) } }

    public func messages(in folder: String) -> [Message] { withLock { folders[Key(folder)]?.messages ?? [] } }
    public func folderNames() -> [String] { withLock { folders.keys.sorted().map(\.name) } }
    /// Sorted by bytes; a list, not a `Set<String>`, which would merge NFC and NFD spellings.
    public func subscriptionNames() -> [String] { withLock { subscribed.sorted().map(\.name) } }
    public func validity(of folder: String) -> UIDValidity? { withLock { folders[Key(folder)]?.uidValidity } }

    // MARK: Session primitives (called with the lock held by the session)

    public func takeFault(_ matching: (Fault) -> Bool) -> Bool {
        guard let index = faults.firstIndex(where: matching) else { return false }
        faults.remove(at: index)
        return true
    }

    public func open(_ name: String) throws -> FolderStatus {
        if takeFault({ if case .dropOnOpen = $0 { return true } else { return false } }) {
            throw StoreError(.connection, "connection reset by peer")
        }
        for index in lateCommits.indices.reversed() where lateCommits[index].folder == Key(name) {
            lateCommits[index].opensLeft -= 1
            if lateCommits[index].opensLeft <= 0 {
                let late = lateCommits.remove(at: index)
                // A folder removed meanwhile took the dead session's APPEND with it.
                guard var target = folders[late.folder] else { continue }
                for var message in late.messages {
                    message.uid = UID(exactly: target.uidNext)
                    target.uidNext += 1
                    target.messages.append(message)
                }
                folders[late.folder] = target
            }
        }
        opens[name, default: 0] += 1
        guard let box = folders[Key(name)] else { throw StoreError(.folder, "no such folder \(name)") }
        var permanent: Set<Flag> = Set(Flag.storableSystemFlags)
        for message in box.messages { permanent.formUnion(message.flags.filter(\.isKeyword)) }
        return FolderStatus(
            uidValidity: box.uidValidity, uidNext: box.uidNext, messageCount: box.messages.count,
            highestModSeq: supportsCondstore ? ModSeq(box.highestModSeq) : nil, permanentFlags: permanent,
            acceptsNewKeywords: acceptsNewKeywords)
    }

    public func listing() -> [FolderListing] {
        folders.sorted { $0.key < $1.key }.map { key, box in
            FolderListing(
                name: MailboxName(key.name, separator: hierarchyValue.separator), isSelectable: true, specialUse: box.specialUse,
                isSubscribed: subscribed.contains(key), messageCount: box.messages.count)
        }
    }

    public func create(_ name: String, validity: UIDValidity?) throws {
        guard folders[Key(name)] == nil else { throw StoreError(.folder, "folder \(name) already exists") }
        folders[Key(name)] = Folder(uidValidity: validity ?? UIDValidity(nextValidity))
        nextValidity += 1
    }

    public func subscribe(_ name: String) { subscribed.insert(Key(name)) }

    public func summaries(_ folder: String, from: UID?, changedSince: ModSeq?) -> [MessageSummary] {
        summaryFetches += 1
        return (folders[Key(folder)]?.messages ?? []).filter { message in
            if let from, message.uid < from { return false }
            if let changedSince, message.modSeq <= changedSince.rawValue { return false }
            return true
        }.map { MessageSummary(uid: $0.uid, flags: $0.flags, internalDate: $0.date, size: $0.bytes.count) }
    }

    /// Every summary of `folder` with size 0, as IMAP without RFC822.SIZE.
    public func summariesWithoutSizes(_ folder: String) -> [MessageSummary] {
        sizelessListings += 1
        return summaries(folder, from: nil, changedSince: nil).map { summary in
            var summary = summary
            summary.size = 0
            return summary
        }
    }

    public func bodies(_ folder: String, _ uids: [UID]) -> [(UID, [UInt8])] {
        let wanted = Set(uids)
        return (folders[Key(folder)]?.messages ?? []).filter { wanted.contains($0.uid) }.map { ($0.uid, $0.bytes) }
    }

    public func append(_ messages: [OutgoingMessage], to folder: String) throws -> [AppendOutcome] {
        guard folders[Key(folder)] != nil else { throw StoreError(.folder, "TRYCREATE no such folder \(folder)") }
        if let index = faults.firstIndex(where: { if case .commitLate = $0 { return true } else { return false } }),
            case .commitLate(let opens) = faults[index]
        {
            faults.remove(at: index)
            let stored = try messages.map { Message(uid: UID(exactly: 1), bytes: try $0.body.readAll(), flags: $0.flags, date: $0.internalDate, modSeq: 0) }
            lateCommits.append((Key(folder), stored, opens))
            appendCount += messages.count
            throw StoreError(.connection, "connection lost while the server was still storing the APPEND")
        }
        var outcomes: [AppendOutcome] = []
        for message in messages {
            let bytes = try message.body.readAll()
            let used = folders.values.reduce(0) { $0 + $1.messages.reduce(0) { $0 + $1.bytes.count } }
            if let quotaBytes, used + bytes.count > quotaBytes {
                outcomes.append(.rejected(AppendRejection(kind: .overQuota, text: "NO [OVERQUOTA] Quota exceeded (mailbox for user is full)")))
                continue
            }
            var box = folders[Key(folder)]!
            let uid = UID(exactly: box.uidNext)
            box.uidNext += 1
            box.highestModSeq += 1
            box.messages.append(Message(uid: uid, bytes: bytes, flags: message.flags, date: message.internalDate, modSeq: box.highestModSeq))
            folders[Key(folder)] = box
            appendCount += 1
            outcomes.append(.appended(AppendReceipt(uid: supportsUIDPLUS ? uid : nil, uidValidity: supportsUIDPLUS ? box.uidValidity : nil)))
            if let index = faults.firstIndex(where: { if case .dropAfterStoring = $0 { return true } else { return false } }),
                case .dropAfterStoring(let remaining) = faults[index]
            {
                if remaining <= 1 {
                    faults.remove(at: index)
                    throw StoreError(.connection, "connection lost during APPEND")
                }
                faults[index] = .dropAfterStoring(remaining - 1)
            }
        }
        return outcomes
    }

    public func storeFlags(_ folder: String, _ uids: [UID], adding: Set<Flag>, removing: Set<Flag>) {
        var box = folders[Key(folder)]!
        let wanted = Set(uids)
        for index in box.messages.indices where wanted.contains(box.messages[index].uid) {
            box.highestModSeq += 1
            box.messages[index].flags.formUnion(adding)
            box.messages[index].flags.subtract(removing)
            box.messages[index].modSeq = box.highestModSeq
        }
        folders[Key(folder)] = box
    }

    public func expunge(_ folder: String, _ uids: [UID]) {
        let doomed = Set(uids)
        folders[Key(folder)]!.messages.removeAll { doomed.contains($0.uid) }
    }

    public func countSession() throws {
        if takeFault({ if case .refuseLogin = $0 { return true } else { return false } }) {
            throw StoreError(.authentication, "LOGIN failed: authentication failed")
        }
        sessionsOpened += 1
        activeSessions += 1
        peakSessions = max(peakSessions, activeSessions)
    }

    public func sessionClosed() { withLock { activeSessions -= 1 } }
}
