import BlockingIO
import Glibc
import Testing

@Suite struct DescriptorLimitTests {
    /// The soft limit is set one below the hard limit first, so the raise has something to do
    /// even when another test of this process raised it already.
    @Test func theSoftLimitIsRaisedToTheHardLimit() throws {
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        var limit = rlimit()
        try #require(getrlimit(resource, &limit) == 0)
        try #require(limit.rlim_max > 1024, "the hard limit \(limit.rlim_max) leaves nothing to raise")
        var lowered = limit
        lowered.rlim_cur = limit.rlim_max - 1
        try #require(setrlimit(resource, &lowered) == 0)
        #expect(DescriptorLimit.raiseToHardLimit() == Int(clamping: limit.rlim_max))
        var after = rlimit()
        try #require(getrlimit(resource, &after) == 0)
        #expect(after.rlim_cur == limit.rlim_max)
    }
}
