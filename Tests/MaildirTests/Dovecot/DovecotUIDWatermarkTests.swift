import MailModel
import Testing
@testable import Maildir

/// A UID that a live Dovecot handed out (a mirror copy delivered by LMTP, then purged) is
/// never given to another message under the same UIDVALIDITY.
@Suite("Dovecot UIDs handed out by another writer")
struct DovecotUIDWatermarkTests {
    func open(_ directory: TemporaryDirectory) throws -> (DovecotMaildir, DovecotFolder) {
        let maildir = try DovecotMaildir(root: directory.path("Maildir"), ownership: .currentProcess)
        return (maildir, try maildir.openFolder(levels: []))
    }

    func write(_ folder: DovecotFolder, _ text: String, uid: UInt32, base: String) throws {
        let writer = try folder.makeMessageWriter()
        try writer.write(Array(text.utf8))
        _ = try folder.add(writer.finish(modificationTime: nil), spec: DovecotMessageSpec(uid: UID(exactly: uid), preferredBase: base))
    }

    /// mailferry committed UIDs 1… with next UID 10; then Dovecot delivered UID 10 and 11 and
    /// (after a purge) expunged them and compacted its uid list, keeping the `M` field.
    func folderAfterDovecotHandedOut10And11(_ directory: TemporaryDirectory) throws -> DovecotMaildir {
        let (maildir, folder) = try open(directory)
        try folder.setIdentity(uidValidity: UIDValidity(5), nextUID: UID(exactly: 10))
        try write(folder, "a\n", uid: 1, base: "1.a")
        try folder.commit()
        #expect(directory.read("Maildir/dovecot-uidlist") == "3 V5 N10 M10\n1 :1.a\n")
        directory.write("Maildir/dovecot-uidlist", "3 V5 N12 M10\n1 :1.a\n")
        directory.write("Maildir/cur/7.u:2,", "unnumbered\n")
        return maildir
    }

    @Test func aUIDDovecotHandedOutIsRefusedWithItsReason() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let folder = try folderAfterDovecotHandedOut10And11(directory).openFolder(levels: [])
        #expect(folder.wasHandedOutByAnotherWriter(UID(exactly: 10)) && folder.wasHandedOutByAnotherWriter(UID(exactly: 11)))
        #expect(!folder.wasHandedOutByAnotherWriter(UID(exactly: 9)) && !folder.wasHandedOutByAnotherWriter(UID(exactly: 12)))
        #expect {
            try write(folder, "source 10\n", uid: 10, base: "10.s")
        } throws: { error in
            guard let error = error as? MaildirError else { return false }
            return error.kind == .uidHandedOut && error.detail.contains("--overwrite-uidvalidity")
        }
        #expect {
            try folder.adopt(base: "7.u", uid: UID(exactly: 11))
        } throws: { ($0 as? MaildirError)?.kind == .uidHandedOut }
        // A UID mailferry reserved itself (a gap it kept for a message refused earlier) is fine,
        // and so is the next UID.
        try write(folder, "source 9\n", uid: 9, base: "9.s")
        try write(folder, "source 12\n", uid: 12, base: "12.s")
        try folder.commit()
        #expect(directory.read("Maildir/dovecot-uidlist") == "3 V5 N13 M13,10-11\n1 :1.a\n9 :9.s\n12 :12.s\n")
    }

    @Test func theRefusalOutlivesLaterCommits() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let maildir = try folderAfterDovecotHandedOut10And11(directory)
        let folder = try maildir.openFolder(levels: [])
        try write(folder, "source 12\n", uid: 12, base: "12.s")
        try folder.commit()
        // Dovecot hands out 13 meanwhile.
        directory.write("Maildir/dovecot-uidlist", "3 V5 N14 M13,10-11\n1 :1.a\n12 :12.s\n")
        let again = try maildir.openFolder(levels: [])
        for uid: UInt32 in [10, 11, 13] { #expect(again.wasHandedOutByAnotherWriter(UID(exactly: uid)), "UID \(uid)") }
        try write(again, "source 20\n", uid: 20, base: "20.s")
        try again.commit()
        #expect(directory.read("Maildir/dovecot-uidlist")?.hasPrefix("3 V5 N21 M21,10-11,13-13\n") == true)
    }

    @Test func aNewUIDValidityForgetsWhatWasHandedOut() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let folder = try folderAfterDovecotHandedOut10And11(directory).openFolder(levels: [])
        try folder.setIdentity(uidValidity: UIDValidity(6), nextUID: UID(exactly: 1), allowingChange: true)
        try write(folder, "source 10\n", uid: 10, base: "10.s")
        try folder.commit()
        #expect(directory.read("Maildir/dovecot-uidlist") == "3 V6 N11 M11\n10 :10.s\n")
    }

    /// A uid list no mailferry commit wrote (no `M`), or a malformed `M`: nothing is known to
    /// be handed out, and the field is written from then on.
    @Test(arguments: ["3 V5 N12\n1 :1.a\n", "3 V5 N12 Mx,1-2\n1 :1.a\n", "3 V5 N12 M10,5-3\n1 :1.a\n"])
    func withoutAReadableFieldNothingIsRefused(_ uidlist: String) throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        directory.maildir("Maildir")
        directory.write("Maildir/cur/1.a:2,", "a\n")
        directory.write("Maildir/dovecot-uidlist", uidlist)
        let (_, folder) = try open(directory)
        #expect(!folder.wasHandedOutByAnotherWriter(UID(exactly: 10)))
        try write(folder, "source 10\n", uid: 10, base: "10.s")
        try folder.commit()
        #expect(directory.read("Maildir/dovecot-uidlist") == "3 V5 N12 M12\n1 :1.a\n10 :10.s\n")
    }

    @Test func rangesMergeAndStayBounded() {
        #expect(DovecotUIDWatermark.normalized([5...6, 1...2, 3...3, 10...12, 11...20]) == [1...3, 5...6, 10...20])
        var many: [ClosedRange<UInt32>] = []
        for index: UInt32 in 0..<100 { many.append((index * 10)...(index * 10 + 1)) }
        let bounded = DovecotUIDWatermark.normalized(many)
        #expect(bounded.count == DovecotUIDWatermark.maximumRanges)
        for range in many { #expect(bounded.contains { $0.lowerBound <= range.lowerBound && range.upperBound <= $0.upperBound }) }
    }
}
