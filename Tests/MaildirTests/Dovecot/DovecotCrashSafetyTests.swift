import Glibc
import MailModel
import Testing
@testable import Maildir

@Suite("Crash safety and locking", .serialized)
struct DovecotCrashSafetyTests {
    @Test func tornTemporaryFileFromACrashIsNeverVisible() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        fixture.source("cur/1.a:2,S")
        fixture.source("courierimapuiddb", "1 700000000 2\n1 1.a\n")
        // A previous run died while writing: half a message in D/tmp, no uid list.
        fixture.directory.maildir("D")
        fixture.directory.write("D/tmp/1700000000.M1P99Q1.host.mailferry", "Subject: half")
        let report = try fixture.convert()
        #expect(report.succeeded)
        #expect(fixture.destinationNames("cur") == ["1.a:2,S"])
        #expect(fixture.destination("dovecot-uidlist") == "3 V700000000 N2 M2\n1 :1.a\n")
        #expect(fixture.destination("cur/1.a:2,S") == ConversionFixture.body(size: 64, seed: "1.a"))
    }

    @Test func crashAfterTheUIDListBeforeTheRenamesIsRepairedByARerun() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        fixture.source("cur/1.a:2,S")
        fixture.source("cur/2.b:2,")
        fixture.source("courierimapuiddb", "1 700000000 3\n1 1.a\n2 2.b\n")
        // The uid list was written, 2.b was renamed into place, 1.a was still in tmp/.
        fixture.directory.maildir("D")
        fixture.directory.write("D/dovecot-uidlist", "3 V700000000 N3\n1 :1.a\n2 :2.b\n")
        fixture.directory.write("D/cur/2.b:2,", ConversionFixture.body(size: 64, seed: "2.b"))
        fixture.directory.write("D/tmp/1.a.mailferry", "partial")
        // Dovecot may have indexed UID 1 as expunged meanwhile: it would renumber the refilled file.
        fixture.directory.write("D/dovecot.index", "index")
        let report = try fixture.convert()
        #expect(report.succeeded)
        #expect(report.folders.first?.copied == 1)
        #expect(fixture.destinationNames("cur") == ["1.a:2,S", "2.b:2,"])
        #expect(fixture.destination("dovecot-uidlist") == "3 V700000000 N3\n1 :1.a\n2 :2.b\n")
        #expect(!fixture.directory.exists("D/dovecot.index"))
    }

    @Test func crashAfterRenamesBeforeTheUIDListIsAdoptedByARerun() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        fixture.source("cur/1.a:2,S")
        fixture.source("courierimapuiddb", "1 700000000 2\n1 1.a\n")
        fixture.directory.maildir("D")
        fixture.directory.write("D/cur/1.a:2,", ConversionFixture.body(size: 64, seed: "1.a"))
        let report = try fixture.convert()
        #expect(report.folders.first?.adopted == 1)
        #expect(report.folders.first?.copied == 0)
        #expect(fixture.destination("dovecot-uidlist") == "3 V700000000 N2 M2\n1 :1.a\n")
        #expect(fixture.destinationNames("cur") == ["1.a:2,S"])
    }

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
