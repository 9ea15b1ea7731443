import Foundation
import MailTestSupport
import Testing

/// The testbed listens on 127.0.0.1 only, on exactly the ports testbed.json names.
@Suite(.tags(.integration), .requiresTestbed)
struct ListenerTests {
    @Test func everyTestbedPortListensOnLoopbackOnly() async throws {
        let testbed = try Testbed.require()
        var endpoints = [testbed.old.imap, testbed.old.smtp, testbed.new.imap, testbed.new.smtp]
        endpoints += [try testbed.old.requirePOP3(), try testbed.new.requirePOP3()]
        if let lmtp = testbed.new.lmtp { endpoints.append(lmtp) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ss")
        process.arguments = ["-ltnH"]
        let text = try await process.runCollectingOutput().stdout
        // Lines: State Recv-Q Send-Q Local:Port Peer:Port
        let locals = text.split(separator: "\n").compactMap { $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst(3).first }
        for endpoint in endpoints {
            let matching = locals.filter { $0.hasSuffix(":\(endpoint.port)") }
            #expect(matching == ["127.0.0.1:\(endpoint.port)"], "listeners on port \(endpoint.port): \(matching)")
        }
    }
}
