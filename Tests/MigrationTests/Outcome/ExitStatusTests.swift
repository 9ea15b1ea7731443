import IMAPClient
import IMAPCodec
import SyncEngine
import Testing

@testable import Migration

/// One table for every command: the codes scripts rely on, and the typed outcomes behind them.
@Suite struct ExitStatusTests {
    @Test func theCodesAreTheDocumentedOnes() {
        #expect(Migration.ExitStatus.allCases.map(\.rawValue).sorted() == [0, 1, 2, 3, 4, 5, 64, 70, 74])
        #expect(Migration.ExitStatus.allCases.allSatisfy { !$0.meaning.isEmpty })
    }

    @Test func theWorstAccountWins() {
        #expect(Migration.ExitStatus.worst([]) == .success)
        #expect(Migration.ExitStatus.worst([.success, .differences, .partial]) == .partial)
        #expect(Migration.ExitStatus.worst([.connection, .authentication, .partial]) == .connection)
        #expect(Migration.ExitStatus.worst([.ioError, .connection]) == .ioError)
        #expect(Migration.ExitStatus.worst([.ioError, .internalError, .usage]) == .internalError)
    }

    @Test(arguments: [
        (AccountReport.Outcome.complete, Migration.ExitStatus.success), (.partial, .partial), (.failed, .partial), (.planRefused, .planRefused),
        (.authenticationFailed, .authentication), (.connectionFailed, .connection),
    ])
    func syncOutcomes(outcome: AccountReport.Outcome, status: Migration.ExitStatus) {
        #expect(Migration.ExitStatus(outcome) == status)
    }

    @Test func clientErrors() {
        #expect(Migration.ExitStatus(IMAPClientError(.tls("bad certificate"))) == .connection)
        #expect(Migration.ExitStatus(IMAPClientError(.plaintextNotAllowed)) == .usage)
        #expect(Migration.ExitStatus(IMAPClientError(.loginUnavailable("AUTH=PLAIN"))) == .authentication)
        let refusal = TaggedResponse(tag: "A1", status: .no, text: ResponseText(text: "no"))
        #expect(Migration.ExitStatus(IMAPClientError(.loginRefused(command: "LOGIN", response: refusal))) == .authentication)
        #expect(Migration.ExitStatus(IMAPClientError(.commandFailed(command: "SELECT", response: refusal))) == .partial)
        #expect(Migration.ExitStatus(IMAPClientError(.unsupported("UIDPLUS (UID EXPUNGE)"))) == .partial)
        #expect(Migration.ExitStatus(IMAPClientError(.timeout("no response"))) == .connection)
    }
}
