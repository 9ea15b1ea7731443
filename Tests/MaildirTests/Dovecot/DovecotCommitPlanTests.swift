import Glibc
import MailModel
import Testing
@testable import Maildir

/// Commit planning without a disk: fixture snapshots and change sets, the writes expected,
/// and what a crash after any prefix of them would leave.
@Suite("Dovecot commit plans")
struct DovecotCommitPlanTests {
    static let folder = "/nowhere/Maildir"
    static let now: Int64 = 1_800_000_000

    static func file(_ base: String, _ letters: String = "", in location: MaildirFileEntry.Location = .cur) -> MaildirFileEntry {
        let name = location == .new ? base : MaildirFilename(base: base, flags: MaildirFlagLetters(letters)).rawValue
        return MaildirFileEntry(location: location, name: name, size: 10, modificationTime: 1_700_000_000)
    }

    /// A folder with UIDVALIDITY 42, next UID 10, messages `a` (UID 1, seen) and `b` (UID 2),
    /// keyword 0 `$Label1`.
    static func snapshot(keywordsIdentity: FileStatus? = nil) -> DovecotFolderSnapshot {
        let list = DovecotUIDList(
            uidValidity: UIDValidity(42), nextUID: UID(exactly: 10),
            records: [.init(uid: UID(exactly: 1), base: "a"), .init(uid: UID(exactly: 2), base: "b")])
        return DovecotFolderSnapshot(
            uidlist: list, keywords: DovecotKeywords(names: [0: "$Label1"]), keywordsIdentity: keywordsIdentity,
            files: ["a": file("a", "S"), "b": file("b")])
    }

    /// Stage a message file as `DovecotFolder.add` does: its record and its file in `tmp/`.
    static func add(_ base: String, uid: UInt32?, letters: String = "", durable: Bool = true, to changes: inout DovecotFolderChanges, over snapshot: DovecotFolderSnapshot) {
        if let uid {
            let below = snapshot.uidlist.map { UID(exactly: uid) < $0.nextUID } == true && !changes.uidValidityChanged
            changes.insertRecord(uid: UID(exactly: uid), base: base, fields: [], belowDiskNextUID: below)
        }
        let written = WrittenMessage(temporaryPath: folder + "/tmp/" + base + ".mailferry", size: 10, virtualSize: nil, fingerprint: nil, isDurable: durable)
        if !durable { changes.needsFileSystemSync = true }
        changes.additions[base] = .init(
            written: written, uid: uid.map { UID(exactly: $0) }, fileName: MaildirFilename(base: base, flags: MaildirFlagLetters(letters)),
            location: .cur, modificationTime: 1_700_000_000)
    }

    static func plan(_ snapshot: DovecotFolderSnapshot, _ changes: DovecotFolderChanges, rewriting: Bool = false) throws -> [String]? {
        try DovecotCommitPlan(snapshot: snapshot, changes: changes, rewritingMetadata: rewriting, now: now, folder: folder)?.steps.map(\.description)
    }

    @Test func nothingStagedWritesNothing() throws {
        let snapshot = Self.snapshot()
        #expect(try Self.plan(snapshot, DovecotFolderChanges(over: snapshot)) == nil)
    }

    @Test func aDurableMessageAboveTheNextUIDIsRecordedBeforeItsFileAppears() throws {
        let snapshot = Self.snapshot()
        var changes = DovecotFolderChanges(over: snapshot)
        Self.add("c", uid: 10, letters: "S", to: &changes, over: snapshot)
        #expect(try Self.plan(snapshot, changes) == [
            "lock", "write dovecot-uidlist V42 N11 1,2,10", "move cur/c:2,S", "sync cur new", "unlock",
        ])
    }

    @Test func filesWrittenWithoutFsyncAreFlushedBeforeTheLockAndNewKeywordsWrittenFirst() throws {
        let snapshot = Self.snapshot()
        var changes = DovecotFolderChanges(over: snapshot)
        _ = changes.keywords.assign(["Work"])
        Self.add("c", uid: 10, letters: "Sb", durable: false, to: &changes, over: snapshot)
        #expect(try Self.plan(snapshot, changes) == [
            "flush", "lock", "write dovecot-keywords 0=$Label1,1=Work", "write dovecot-uidlist V42 N11 1,2,10", "move cur/c:2,Sb",
            "sync cur new", "unlock",
        ])
    }

    @Test func anExpungedFileIsGoneDurablyBeforeItsRecord() throws {
        let snapshot = Self.snapshot()
        var changes = DovecotFolderChanges(over: snapshot)
        changes.removals["a"] = snapshot.files["a"]
        changes.removeRecord(uid: UID(exactly: 1))
        #expect(try Self.plan(snapshot, changes) == [
            "lock", "remove cur/a:2,S", "sync cur new", "write dovecot-uidlist V42 N10 2", "sync cur new", "unlock",
        ])
    }

    @Test func aFlagChangeAloneRenamesWithoutRewritingTheUIDList() throws {
        let snapshot = Self.snapshot()
        var changes = DovecotFolderChanges(over: snapshot)
        changes.renames["b"] = MaildirFilename(base: "b", flags: MaildirFlagLetters("Fa"))
        #expect(try Self.plan(snapshot, changes) == ["lock", "rename cur/b:2, +Fa", "sync cur new", "unlock"])
    }

    @Test func aUIDBelowTheNextUIDOnDiskRemovesTheFolderIndexOnly() throws {
        let snapshot = Self.snapshot()
        var changes = DovecotFolderChanges(over: snapshot)
        Self.add("c", uid: 5, to: &changes, over: snapshot)
        #expect(changes.reusesUIDsBelowDisk)
        #expect(try Self.plan(snapshot, changes) == [
            "lock", "write dovecot-uidlist V42 N10 1,2,5", "move cur/c:2,", "sync cur new", "remove indexes", "unlock",
        ])
    }

    @Test func aNewUIDValidityRemovesTheListIndexToo() throws {
        let snapshot = Self.snapshot()
        var changes = DovecotFolderChanges(over: snapshot)
        changes.setUIDList(DovecotUIDList(uidValidity: UIDValidity(7), nextUID: UID(exactly: 3)))
        changes.uidValidityChanged = true
        Self.add("c", uid: 1, to: &changes, over: snapshot)
        #expect(!changes.reusesUIDsBelowDisk)
        #expect(try Self.plan(snapshot, changes) == [
            "lock", "write dovecot-uidlist V7 N3 1", "move cur/c:2,", "sync cur new", "remove indexes and list index", "unlock",
        ])
    }

    @Test func theOverwriteReRunRewritesTheMetadataWithNothingStaged() throws {
        let snapshot = Self.snapshot()
        #expect(try Self.plan(snapshot, DovecotFolderChanges(over: snapshot), rewriting: true) == [
            "lock", "write dovecot-keywords 0=$Label1", "write dovecot-uidlist V42 N10 1,2", "sync cur new",
            "remove indexes and list index", "unlock",
        ])
    }

    @Test func aUIDListDovecotWouldRejectIsRefusedBeforeAnyWrite() throws {
        let snapshot = Self.snapshot()
        var changes = DovecotFolderChanges(over: snapshot)
        changes.removals["a"] = snapshot.files["a"]
        changes.removeRecord(uid: UID(exactly: 1))
        changes.insertRecord(uid: UID(exactly: 11), base: ".hidden", fields: [], belowDiskNextUID: false)
        #expect(throws: MaildirError.self) { try Self.plan(snapshot, changes) }
    }

    @Test func keywordsGetANewerSecondThanTheFileTheyReplace() throws {
        var status = stat()
        status.st_mtim.tv_sec = Int(Self.now)
        let replaced = Self.snapshot(keywordsIdentity: FileStatus(status))
        #expect(DovecotCommitPlan.keywordsModificationTime(after: replaced, now: Self.now) == Self.now + 1)
        #expect(DovecotCommitPlan.keywordsModificationTime(after: Self.snapshot(), now: Self.now) == Self.now)
        var changes = DovecotFolderChanges(over: replaced)
        _ = changes.keywords.assign(["Work"])
        let plan = try #require(try DovecotCommitPlan(snapshot: replaced, changes: changes, now: Self.now, folder: Self.folder))
        #expect(plan.steps.contains(.writeKeywords(changes.keywords, modificationTime: Self.now + 1)))
    }

    /// A commit staging two files (one with a new keyword), an expunge and a flag rename.
    static func combined() -> (DovecotFolderSnapshot, DovecotFolderChanges) {
        let snapshot = Self.snapshot()
        var changes = DovecotFolderChanges(over: snapshot)
        _ = changes.keywords.assign(["Work", "Home"])
        Self.add("c", uid: 10, letters: "Sb", durable: false, to: &changes, over: snapshot)
        Self.add("d", uid: 3, letters: "c", durable: false, to: &changes, over: snapshot)
        changes.removals["a"] = snapshot.files["a"]
        changes.removeRecord(uid: UID(exactly: 1))
        changes.renames["b"] = MaildirFilename(base: "b", flags: MaildirFlagLetters("ab"))
        return (snapshot, changes)
    }

    /// Replays a crash after every prefix of `steps` on a model of the folder and names what
    /// each would break: a file of the commit visible without its UID (or before the flush
    /// made it durable), an expunged message's record forgotten while its file may come
    /// back, a keyword letter in a file name before `dovecot-keywords` names it.
    static func crashViolations(_ steps: [DovecotCommitPlan.Step], over snapshot: DovecotFolderSnapshot, _ changes: DovecotFolderChanges) -> [String] {
        var violations: [String] = []
        for crash in 0...steps.count {
            var recorded = Set(snapshot.uidlist!.records.map(\.base))
            var names = snapshot.keywords
            var visible = snapshot.files.mapValues(\.fileName.flags)
            var removedUnsynced: Set<String> = []
            var removedDurably: Set<String> = []
            var flushed = false
            for step in steps.prefix(crash) {
                switch step {
                case .flushFileSystem: flushed = true
                case .writeKeywords(let keywords, _): names = keywords
                case .removeFile(let base, _):
                    visible[base] = nil
                    removedUnsynced.insert(base)
                case .syncDirectories: removedDurably.formUnion(removedUnsynced)
                case .writeUIDList(let list): recorded = Set(list.records.map(\.base))
                case .moveIntoPlace(let base, _, let relativePath):
                    if !flushed { violations.append("\(crash): \(base) visible before the flush") }
                    visible[base] = MaildirFilename(String(relativePath.dropFirst(4))).flags
                case .renameFlags(let base, _, let letters): visible[base] = letters
                case .lock, .removeIndexFiles, .unlock: break
                }
            }
            for (base, letters) in visible.sorted(by: { $0.key < $1.key }) {
                if !recorded.contains(base) { violations.append("\(crash): \(base) visible without its UID") }
                for index in letters.keywordIndexes where names.names[index] == nil {
                    violations.append("\(crash): \(base) carries keyword \(index) unnamed")
                }
            }
            for base in changes.removals.keys.sorted() where !recorded.contains(base) && !removedDurably.contains(base) {
                violations.append("\(crash): \(base)'s record gone, its file maybe not")
            }
        }
        return violations
    }

    @Test func everyCrashPointKeepsTheFolderConsistent() throws {
        let (snapshot, changes) = Self.combined()
        let plan = try #require(try DovecotCommitPlan(snapshot: snapshot, changes: changes, now: Self.now, folder: Self.folder))
        #expect(plan.steps.first == .flushFileSystem && plan.steps.last == .unlock)
        #expect(Self.crashViolations(plan.steps, over: snapshot, changes) == [])
    }

    /// The replay is able to fail: plans in a wrong order are caught.
    @Test func theCrashReplayCatchesAWrongOrder() throws {
        let (snapshot, changes) = Self.combined()
        let steps = try #require(try DovecotCommitPlan(snapshot: snapshot, changes: changes, now: Self.now, folder: Self.folder)).steps
        /// The plan with the chosen steps moved to just before the unlock.
        func movedLast(_ isMoved: (DovecotCommitPlan.Step) -> Bool) -> [DovecotCommitPlan.Step] {
            Array(steps.filter { !isMoved($0) && $0 != .unlock }) + steps.filter(isMoved) + [.unlock]
        }
        func isUIDList(_ step: DovecotCommitPlan.Step) -> Bool { if case .writeUIDList = step { true } else { false } }
        func isKeywords(_ step: DovecotCommitPlan.Step) -> Bool { if case .writeKeywords = step { true } else { false } }
        func isFlush(_ step: DovecotCommitPlan.Step) -> Bool { step == .flushFileSystem }
        func isRemoval(_ step: DovecotCommitPlan.Step) -> Bool { if case .removeFile = step { true } else { false } }
        let uidListLast = Self.crashViolations(movedLast(isUIDList), over: snapshot, changes)
        #expect(uidListLast.contains { $0.hasSuffix("c visible without its UID") })
        let keywordsLast = Self.crashViolations(movedLast(isKeywords), over: snapshot, changes)
        #expect(keywordsLast.contains { $0.hasSuffix("carries keyword 1 unnamed") })
        let flushLast = Self.crashViolations(movedLast(isFlush), over: snapshot, changes)
        #expect(flushLast.contains { $0.hasSuffix("visible before the flush") })
        let removalsLast = Self.crashViolations(movedLast(isRemoval), over: snapshot, changes)
        #expect(removalsLast.contains { $0.hasSuffix("a's record gone, its file maybe not") })
    }
}
