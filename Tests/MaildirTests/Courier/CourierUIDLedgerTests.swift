import MailModel
import Testing
@testable import Maildir

/// mailferry's ledger of UIDs given ahead of Courier: how it combines with Courier's own
/// database, what it keeps, and when it refuses.
@Suite("Courier UID ledger")
struct CourierUIDLedgerTests {
    func db(_ text: String) throws -> CourierUIDDatabase {
        try CourierUIDDatabase.parse(Array(text.utf8), path: "/m/x")
    }

    func basis(courier: String?, ledger: String?, bases: Set<String>) throws -> CourierUIDLedger.Basis {
        try CourierUIDLedger.basis(
            courier: try courier.map(db), ledger: try ledger.map(db), bases: bases, fallbackValidity: UIDValidity(777), path: "/m")
    }

    @Test func withoutCourierDatabaseTheLedgerIsTheNumbering() throws {
        let fresh = try basis(courier: nil, ledger: nil, bases: ["a"])
        #expect(fresh.withoutCourierDatabase)
        #expect(fresh.database.uidValidity == UIDValidity(777))
        #expect(fresh.database.nextUID == 1)
        let kept = try basis(courier: nil, ledger: "1 555 4\n1 a\n3 c\n", bases: ["a", "c"])
        #expect(kept.database.uidValidity == UIDValidity(555))
        #expect(kept.provisionalBases == ["a", "c"])
    }

    @Test func provisionalUIDsOnTopOfCouriersAreKeptUntilCourierConfirmsThem() throws {
        let combined = try basis(courier: "1 9 5\n4 a\n", ledger: "1 9 7\n5 x\n6 y\n", bases: ["a", "x", "y"])
        #expect(combined.database.records.map(\.uid.rawValue) == [4, 5, 6])
        #expect(combined.database.nextUID == 7)
        #expect(combined.provisionalBases == ["x", "y"])
        let confirmed = try basis(courier: "1 9 7\n4 a\n5 x\n6 y\n", ledger: "1 9 7\n5 x\n6 y\n", bases: ["a", "x", "y"])
        #expect(confirmed.provisionalBases.isEmpty)
        // A ledger of another UIDVALIDITY (Courier rebuilt its database) is void.
        let rebuilt = try basis(courier: "1 10 3\n1 a\n2 x\n", ledger: "1 9 7\n5 x\n", bases: ["a", "x"])
        #expect(rebuilt.provisionalBases.isEmpty && rebuilt.database.uidValidity == UIDValidity(10))
    }

    @Test(arguments: [
        ("1 9 7\n4 a\n6 x\n", "Courier gave x UID 6"),  // the same file, another UID
        ("1 9 7\n4 a\n5 w\n", "Courier gave UID 5 to w"),  // the same UID, another file
        ("1 9 7\n4 a\n", "Courier numbered past UID 5 without x"),  // x still there, passed over
    ])
    func courierNumberingDifferentlyIsRefused(courier: String, expected: String) throws {
        #expect {
            _ = try basis(courier: courier, ledger: "1 9 6\n5 x\n", bases: ["a", "x", "w"])
        } throws: { error in
            (error as? MaildirError)?.kind == .conflict && (error as? MaildirError)?.detail.contains(expected) == true
        }
    }

    @Test func aDeletedProvisionalFileIsRememberedUntilCourierPassesItsUID() throws {
        let courier = try db("1 9 5\n4 a\n")
        let previous = try db("1 9 7\n5 x\n6 y\n")
        let basis = try CourierUIDLedger.basis(courier: courier, ledger: previous, bases: ["a", "y"], fallbackValidity: UIDValidity(1), path: "/m")
        let updated = CourierUIDLedger.updated(
            courier: courier, previous: previous, basis: basis, numbered: [(UID(exactly: 4), "a"), (UID(exactly: 6), "y")],
            nextUID: UID(exactly: 7))
        #expect(updated.records.map { "\($0.uid) \($0.base)" } == ["5 x", "6 y"], "x is gone but Courier may still give 5 to another file")
        // Once Courier's next UID is past it, it is forgotten.
        let later = try db("1 9 7\n4 a\n6 y\n")
        let forgotten = CourierUIDLedger.updated(
            courier: later, previous: updated, basis: basis, numbered: [(UID(exactly: 4), "a"), (UID(exactly: 6), "y")], nextUID: UID(exactly: 7))
        #expect(forgotten.records.isEmpty)
    }
}
