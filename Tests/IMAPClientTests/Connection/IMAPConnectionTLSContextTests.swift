@testable import IMAPClient
import Testing

/// Every connection of a run with the same TLS options shares one context (its trust store
/// read and parsed once); other options get their own.
@Suite struct IMAPConnectionTLSContextTests {
    @Test func connectionsWithTheSameOptionsShareOneContext() throws {
        let insecure = IMAPTLSOptions(insecure: true)
        let system = IMAPTLSOptions()
        let first = try IMAPConnection.sslContext(insecure)
        #expect(try IMAPConnection.sslContext(insecure) === first)
        #expect(try IMAPConnection.sslContext(IMAPTLSOptions(insecure: true)) === first)
        let other = try IMAPConnection.sslContext(system)
        #expect(other !== first)
        #expect(try IMAPConnection.sslContext(system) === other)
    }
}
