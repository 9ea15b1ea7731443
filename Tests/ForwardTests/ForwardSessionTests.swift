import Foundation
import Testing

@testable import Forward

@Suite("ForwardSession")
struct ForwardSessionTests {
    /// A read cycle never queues more than the buffer size above the high-water mark, reads
    /// are powers of two (NIO's adaptive allocator rounds up otherwise) of at most 256 KiB,
    /// and no smaller than they need to be.
    @Test(arguments: [4096, 5000, 65536, 100_000, 262_144, 1 << 20, 64 << 20])
    func readsStayWithinTheBufferBudget(bufferSize: Int) {
        let read = ForwardSession.readSize(bufferSize)
        #expect(read.nonzeroBitCount == 1)
        #expect(read * ForwardSession.readsPerCycle <= bufferSize)
        #expect(read <= 256 * 1024)
        #expect(read * 2 > min(bufferSize / ForwardSession.readsPerCycle, 256 * 1024))
    }

    @Test func theDefaultBufferReadsInHalves() {
        #expect(ForwardSession.readSize(ForwardConfiguration.defaultBufferSize) == 128 * 1024)
    }
}
