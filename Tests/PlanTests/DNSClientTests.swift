import DNSCodec
import Foundation
import Plan
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("DNS client")
struct DNSClientTests {
    @Test("a silent server is a timeout after the configured attempts, not a hang")
    func silentServer() async throws {
        // A bound UDP socket that never answers.
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        try #require(bound)
        let server = DNSServer(address: IPAddress("127.0.0.1")!, port: Int(UInt16(bigEndian: address.sin_port)))
        let client = DNSClient(timeout: .milliseconds(200), attempts: 2)
        let started = ContinuousClock.now
        await #expect(throws: DNSClientError.timeout(server)) {
            try await client.exchange(.query(id: 0, name: try DNSName("example.test"), type: .mx, recursionDesired: false), with: server)
        }
        #expect(ContinuousClock.now - started < .seconds(30))
    }
}
