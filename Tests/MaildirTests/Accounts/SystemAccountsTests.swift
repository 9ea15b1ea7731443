import Glibc
import Testing
@testable import Maildir

@Suite("System accounts and explicit owners")
struct SystemAccountsTests {
    @Test func rootAndNobodyAreFoundByNameAndRange() throws {
        let root = try #require(SystemAccounts.lookup(name: "root"))
        #expect(root.uid == 0 && root.home == "/root")
        #expect(SystemAccounts.lookup(name: "no-such-user-\(getpid())") == nil)
        #expect(SystemAccounts.list(uidRange: 0...0).map(\.name) == ["root"])
        let ordinary = SystemAccounts.list()
        #expect(ordinary.allSatisfy { SystemAccounts.defaultUIDRange.contains($0.uid) })
        #expect(ordinary.map(\.uid) == ordinary.map(\.uid).sorted())
    }

    @Test func maildirFilterSplitsAccounts() {
        // Other suites add testbed accounts meanwhile: the split lies between two listings.
        let before = SystemAccounts.list()
        let (found, without) = SystemAccounts.withMaildir()
        let after = SystemAccounts.list()
        #expect((before.count...after.count).contains(found.count + without.count))
        #expect(Set(found.map(\.name)).isDisjoint(with: without.map(\.name)))
        #expect(found.allSatisfy { (try? FileSystem.isDirectory($0.maildir() + "/cur")) == true })
    }

    @Test(arguments: [
        ("root", 0 as UInt32?, 0 as UInt32?), ("root:root", 0, 0), ("0:0", 0, 0), ("65534:65534", 65534, 65534),
        ("nobody:0", 65534, 0), ("5000", nil, nil), ("", nil, nil), ("root:", nil, nil), ("no-such-user", nil, nil),
        ("root:no-such-group", nil, nil),
    ])
    func ownerParsing(_ text: String, _ uid: UInt32?, _ gid: UInt32?) {
        let parsed = try? MaildirOwnership.parse(owner: text)
        #expect(parsed?.uid == uid)
        #expect(parsed?.gid == gid)
        if parsed != nil { #expect(parsed?.fileMode == 0o600 && parsed?.directoryMode == 0o700) }
    }
}
