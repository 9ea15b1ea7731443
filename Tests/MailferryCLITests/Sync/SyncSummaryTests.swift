import Foundation
import SyncEngine
import Testing

@testable import MailferryCLI

/// The end of a sync run on the UID-keeping path: adopted folders of mirror copies and
/// deferred messages are said in the text and the JSON, and deferred mail is never "complete".
@Suite struct SyncSummaryTests {
    static func report() -> AccountReport {
        var report = AccountReport(account: "alice", source: "maildir:/home/alice/Maildir", destination: "maildir:/var/vmail/alice/Maildir")
        var inbox = FolderReport(sourceFolder: "INBOX", destinationFolder: "INBOX")
        inbox.copied = 5
        inbox.deferred = 2
        inbox.adoptedMirrorCopies = 3
        report.folders = [inbox]
        return report
    }

    @Test func deferredAndAdoptedAreInTheTextTheJSONAndTheExitStatus() throws {
        let summary = SyncSummary(accounts: [Self.report()], dryRun: false)
        let text = summary.text()
        #expect(text.contains("deferred"), "the result column: \(text)")
        #expect(text.contains("alice: INBOX: 2 messages delivered in the settle window left for a later run"))
        #expect(text.contains("alice: INBOX: held only the mirror's verified copies (3)"))
        let json = try summary.jsonString()
        #expect(json.contains("\"deferred\" : 2") && json.contains("\"adoptedFolders\" : 1") && json.contains("\"adoptedMirrorCopies\" : 3"), "\(json)")
        #expect(summary.exitCode == 1)
    }
}
