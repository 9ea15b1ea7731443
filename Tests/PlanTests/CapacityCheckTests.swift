import Foundation
import Testing

@testable import Plan

@Suite struct CapacityCheckTests {
    static let accounts = [AccountPlan(account: "a", sourceBytes: 800), AccountPlan(account: "b", sourceBytes: 200)]

    @Test("the mailboxes plus 25 % must fit in the free space")
    func thresholds() {
        #expect(CapacityCheck.evaluate(accounts: Self.accounts, store: "/s", free: 1250).severity == .ok)
        let short = CapacityCheck.evaluate(accounts: Self.accounts, store: "/s", free: 1249)
        #expect(short.severity == .blocker)
        #expect(short.action?.contains("more space before the bulk copy") == true)
        let partly = CapacityCheck.evaluate(accounts: Self.accounts + [AccountPlan(account: "c", sourceError: "login failed")], store: "/s", free: 1 << 30)
        #expect(partly.severity == .warning && partly.message.contains("1 account not measured"))
    }

    @Test("the free space of a real directory, and of one that does not exist")
    func statvfs() {
        #expect(CapacityCheck.findings(accounts: Self.accounts, store: NSTemporaryDirectory()).map(\.severity) == [.ok])
        let missing = CapacityCheck.findings(accounts: Self.accounts, store: "/nonexistent-mailferry-store")
        #expect(missing.map(\.severity) == [.warning] && missing[0].message.contains("No such file"))
    }
}
