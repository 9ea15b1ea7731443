import MailTestSupport
import Testing

@Suite struct TestbedQuotaTests {
    @Test(arguments: [("200K", 204_800), ("1B", 1), ("5M", 5 << 20), ("2G", 2 << 30), ("999999999B", 999_999_999)])
    func parsesDovecotsSpelling(storage: String, bytes: Int) throws {
        let quota = try TestbedQuota(storage: storage)
        #expect(quota.bytes == bytes)
        #expect(quota.dovecotRule == "*:storage=\(storage)")
        #expect(quota.description == storage)
    }

    /// What scripts/testbed's adduser refuses too (TB_QUOTA_RE).
    @Test(arguments: ["", "200", "K", "0K", "012K", "-1K", "200k", "200KB", "1.5M", "2T", " 200K", "1234567890K"])
    func refusesAnythingElse(storage: String) {
        #expect(throws: TestbedUnavailable.self) { try TestbedQuota(storage: storage) }
    }

    @Test func shorthands() {
        #expect(TestbedQuota.kibibytes(200).storage == "200K")
        #expect(TestbedQuota.mebibytes(3).bytes == 3 << 20)
    }
}
