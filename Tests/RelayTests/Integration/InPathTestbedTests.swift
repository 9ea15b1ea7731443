import Foundation
import MailSpool
import MailTestSupport
import Relay
import SMTPTestSupport
import Testing

/// In-path mode in front of the testbed's real old Postfix (3.7): every DATA variant that
/// Postfix itself accepts gets Postfix's 250 through mailferry and reaches the mailbox.
@Suite(.tags(.integration), .requiresTestbed, .serialized)
struct InPathTestbedTests {
    @Test func theRelayAcceptsWhatTheOldPostfixAccepts() async throws {
        let testbed = try Testbed.require()
        let user = try await testbed.makeAccount(prefix: "spoolinpath")
        let tag = "inpath-\(UUID().uuidString)"
        let cases = InPathEndToEndTests.postfixAccepts(tag)
        let copy = MirrorHarness()
        copy.downstreamAcceptsWhatPostfixAccepts = true
        try await MirrorEndToEndTests.withDownstream(copy) { () async throws in
            try await InPathEndToEndTests.withRelay(primary: nil, primaryPort: testbed.old.smtp.port, copy: copy) { (port: Int, spool: MailSpool) async throws in
                for (name, data, _) in cases {
                    let reply = try await InPathEndToEndTests.sendRaw(port: port, to: user.oldAddress, data: data)
                    #expect(reply.hasPrefix("250") && reply.contains("queued as"), "\(name): \(reply)")
                }
                #expect(try await copy.eventually(timeout: .seconds(30)) { try spool.finishedRecords().count == cases.count })
            }
        }
        for (name, data, _) in cases {
            let subject = String(data.prefix { !$0.isNewline })
            let stored = try await DirectoryWatch.until("\(name) in \(user.oldMaildir)", in: user.oldMaildir) { MirrorTestbedTests.maildirContains(user.oldMaildir, subject) }
            #expect(!stored.isEmpty, "\(name)")
        }
        #expect(copy.downstream.committed.count == cases.count)
    }
}
