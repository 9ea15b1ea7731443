import ArgumentParser
import IMAPClient
import IMAPCodec
@testable import MailferryCLI
import Migration
import Testing

@Suite struct IMAPProbeCommandTests {
    @Test func parsesOptionsIntoASpec() throws {
        let command = try IMAPProbeCommand.parse([
            "imap://tbbench@127.0.0.1:20143", "--master-user", "tbmigrator", "--master-password-file", "/tmp/m", "--ca-file", "/tmp/ca.crt",
        ])
        let spec = try command.account.spec()
        #expect(spec.endpoint.security == .startTLS)
        #expect(spec.endpoint.tls.caFile == "/tmp/ca.crt")
        #expect(!spec.endpoint.allowPlaintextAuthentication)
        let plain = try IMAPProbeCommand.parse(["imap://a@host", "--no-starttls", "--allow-plaintext"]).account.spec().endpoint
        #expect(plain.security == .none && plain.allowPlaintextAuthentication)
        #expect(try IMAPProbeCommand.parse(["imaps://a@host"]).account.spec().endpoint.security == .implicitTLS)
    }

    @Test func masterUserUsesPlainAuthorizationOrLoginSeparator() throws {
        var spec = try IMAPProbeCommand.parse(["imap://tbbench@host", "--master-user", "tbmigrator"]).account.spec()
        spec.masterPassword = SecretSource(fileFlag: "--master-password-file", environmentVariable: "MAILFERRY_TEST_UNSET_VARIABLE")
        #expect(throws: SecretSourceError.self) { try spec.credentials(serverOffersPlain: true) }
    }

    @Test(arguments: ["imap://a:pw@host", "imap://host", "imap://a@host --timeout 0"])
    func refusesBadInput(_ line: String) {
        #expect(throws: (any Error).self) { try IMAPProbeCommand.parse(line.split(separator: " ").map(String.init)) }
    }

    @Test func exitStatusesFollowTheContract() {
        let loginFailed = IMAPClientError(.loginRefused(command: "LOGIN", response: TaggedResponse(tag: "A1", status: .no, text: ResponseText(text: "no"))))
        #expect(ExitStatus(loginFailed) == .authentication)
        #expect(ExitStatus(IMAPClientError(.tls("bad certificate"))) == .connection)
        #expect(ExitStatus(IMAPClientError(.plaintextNotAllowed)) == .usage)
    }

    @Test func registeredUnderImap() {
        #expect(MailferryCommand.helpMessage(for: IMAPProbeCommand.self).contains("--master-user"))
    }
}
