import Testing
@testable import Maildir

@Suite("courierimapsubscribed")
struct CourierSubscriptionsTests {
    func entries(_ text: String, decoding: FolderNameDecoding = .detect) -> ([CourierSubscriptions.Entry], [MaildirDiagnostic]) {
        let parsed = CourierSubscriptions.parse(Array(text.utf8), path: "/m/courierimapsubscribed")
        let result = parsed.entries(decoding: decoding, path: "/m/courierimapsubscribed")
        return (result.entries, result.diagnostics)
    }

    @Test func case14Basic() {
        let (result, diagnostics) = entries("INBOX\nINBOX.Sent\ninbox.Drafts\nINBOX.Sent.2023\n")
        #expect(result == [.inbox, .folder(levels: ["Sent"]), .folder(levels: ["Drafts"]), .folder(levels: ["Sent", "2023"])])
        #expect(diagnostics.isEmpty)
    }

    @Test func case15SharedAndTrailingSeparator() {
        let (result, diagnostics) = entries("#shared.firmwide.golf\nINBOX.Old.\n")
        #expect(result == [.shared(name: "#shared.firmwide.golf"), .folder(levels: ["Old"])])
        #expect(diagnostics.map(\.code) == [.sharedFolderSkipped, .subscriptionTrailingSeparator])
        #expect(diagnostics.map(\.line) == [1, 2])
    }

    @Test func encodingsAndOddLines() {
        let (result, diagnostics) = entries("INBOX.Résumé\nINBOX.R&AOk-sum&AOk-2\nINBOX.AT&T\nOther\nINBOX..x\nINBOX.Sent\n\n")
        #expect(result == [.folder(levels: ["Résumé"]), .folder(levels: ["Résumé2"]), .folder(levels: ["AT&T"]), .folder(levels: ["Sent"])])
        #expect(diagnostics.map(\.code) == [.subscriptionOutsideInbox, .invalidFolderName])
        #expect(diagnostics.map(\.line) == [4, 5])
    }

    @Test func duplicatesCollapse() {
        #expect(entries("INBOX.Sent\nINBOX.Sent\ninbox\nINBOX\n").0 == [.folder(levels: ["Sent"]), .inbox])
    }
}
