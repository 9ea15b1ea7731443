import Foundation
import Glibc
import MailModel
import MailTestSupport
import Testing
@testable import Maildir

/// Courier numbers the files no client has seen yet at its next scan; mailferry predicts those
/// UIDs for the UID-keeping path (and verify reads them from disk the same way). Files planted
/// in one delivery second into `new/` and `cur/` of a real Courier mailbox, named as Postfix's
/// local(8) names them (`<second>.V<dev>I<inode>M<usec>.<host>`, so the order within a second
/// is by inode text, not by arrival), must get from Courier exactly the UIDs predicted.
@Suite("Courier numbers unseen files as predicted", .tags(.integration), .requiresTestbed)
struct CourierNumberingIntegrationTests {
    @Test func filesOfOneSecondGetThePredictedUIDs() async throws {
        let testbed = try Testbed.require()
        let user = try await testbed.makeAccount(prefix: "cutoveruids")
        let owner = try #require(try FileSystem.status(user.oldMaildir))
        let seed = UInt64(Date().timeIntervalSince1970)
        print("CourierNumberingIntegrationTests seed \(seed)")
        var state = seed
        func next(_ bound: UInt64) -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (state >> 33) % bound
        }
        let second = Int64(Date().timeIntervalSince1970)
        var names: Set<String> = []
        for index in 0..<16 {
            let time = index < 3 ? second - 1 : second
            let inode = String(1 + next(0xFFFFF), radix: 16)
            let name = "\(time).V801I\(inode)M\(next(1_000_000)).oldhost"
            guard names.insert(name).inserted else { continue }
            let inCur = next(3) == 0
            let path = user.oldMaildir + (inCur ? "/cur/\(name):2,S" : "/new/\(name)")
            #expect(FileManager.default.createFile(atPath: path, contents: Data("Subject: \(index)\r\n\r\nbody\r\n".utf8)))
            chown(path, owner.ownerUID, owner.ownerGID)
            // The modification time is the INTERNALDATE: it names the file on both sides.
            var times = [timeval(tv_sec: 1_600_000_000 + index, tv_usec: 0), timeval(tv_sec: 1_600_000_000 + index, tv_usec: 0)]
            #expect(utimes(path, &times) == 0)
        }

        let maildir = try CourierMaildir(root: user.oldMaildir)
        let predicted = try maildir.read(maildir.inbox, ledger: nil, now: second)
        var mine: [UInt32: Int64] = [:]
        for message in predicted.messages { mine[try #require(message.uid).rawValue] = message.file.modificationTime }
        #expect(mine.count == names.count)

        let session = try await IMAPTestSession(testbed.old.imap)
        try #require(try await session.login(user.name, try user.password()).isOK)
        let courier = try await IMAPMailboxView.view(session, "INBOX")
        _ = try await session.command("LOGOUT")
        #expect(courier.messages.mapValues(\.date) == mine, "seed \(seed)")
        #expect(courier.uidNext == predicted.nextUID.rawValue)
    }
}
