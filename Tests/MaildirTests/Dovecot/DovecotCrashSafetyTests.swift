import Glibc
import MailModel
import Testing
@testable import Maildir

@Suite("Crash safety and locking", .serialized)
struct DovecotCrashSafetyTests {
    func lockFile(_ directory: TemporaryDirectory, _ content: String, age: Int64) {
        let now = Int64(time(nil))
        directory.write("F/dovecot-uidlist.lock", content, mtime: now - age)
    }

    @Test func staleLockOfADeadProcessIsRemoved() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        directory.maildir("F")
        lockFile(directory, "999999:\(MaildirUniqueName.systemHostname())", age: 10)
        let lock = try DovecotUIDListLock.acquire(folderPath: directory.path("F"), ownership: .currentProcess)
        #expect(lock.diagnostics.map(\.code) == [.staleLockRemoved])
        #expect(directory.read("F/dovecot-uidlist.lock") == "\(getpid()):\(MaildirUniqueName.systemHostname())")
        try lock.release()
        #expect(!directory.exists("F/dovecot-uidlist.lock"))
    }

    @Test func lockOfALiveProcessIsNeverOverridden() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        directory.maildir("F")
        lockFile(directory, "1:\(MaildirUniqueName.systemHostname())", age: 10_000)
        #expect {
            try DovecotUIDListLock.acquire(
                folderPath: directory.path("F"), ownership: .currentProcess, options: .init(timeoutSeconds: 0.3, staleTimeoutSeconds: 1))
        } throws: { ($0 as? MaildirError)?.kind == .lockTimeout }
        #expect(directory.read("F/dovecot-uidlist.lock") == "1:\(MaildirUniqueName.systemHostname())")
    }

    @Test func lockWithoutOwnerIsStaleOnlyAfterTheTimeout() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        directory.maildir("F")
        lockFile(directory, "", age: 5)
        #expect(throws: MaildirError.self) {
            try DovecotUIDListLock.acquire(
                folderPath: directory.path("F"), ownership: .currentProcess, options: .init(timeoutSeconds: 0.2, staleTimeoutSeconds: 120))
        }
        // Like Dovecot, the lock's ctime counts as a change, and a test cannot backdate it:
        // wait for a short stale timeout instead.
        let lock = try DovecotUIDListLock.acquire(
            folderPath: directory.path("F"), ownership: .currentProcess, options: .init(timeoutSeconds: 10, staleTimeoutSeconds: 1))
        #expect(lock.diagnostics.map(\.code) == [.staleLockRemoved])
        try lock.release()
    }

    @Test func releaseNoticesAnOverriddenLock() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        directory.maildir("F")
        let lock = try DovecotUIDListLock.acquire(folderPath: directory.path("F"), ownership: .currentProcess)
        unlink(directory.path("F/dovecot-uidlist.lock"))
        directory.write("F/dovecot-uidlist.lock", "1:elsewhere")
        #expect { try lock.release() } throws: { ($0 as? MaildirError)?.kind == .conflict }
        #expect(directory.exists("F/dovecot-uidlist.lock"))
    }

    @Test func commitWaitsForAHeldLockAndFailsCleanly() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let maildir = try DovecotMaildir(
            root: directory.path("Maildir"), ownership: .currentProcess,
            options: .init(lock: .init(timeoutSeconds: 0.3, staleTimeoutSeconds: 120)))
        let folder = try maildir.openFolder(levels: [])
        try folder.setIdentity(uidValidity: UIDValidity(1), nextUID: UID(exactly: 1))
        directory.write("Maildir/dovecot-uidlist.lock", "1:\(MaildirUniqueName.systemHostname())")
        #expect { try folder.commit() } throws: { ($0 as? MaildirError)?.kind == .lockTimeout }
        #expect(!directory.exists("Maildir/dovecot-uidlist"))
    }
}
