import Foundation
import MailModel
import MailSpool
import Relay
import Testing
@testable import MailferryCLI

@Suite struct MirrorReportRendererTests {
    @Test func namesEachProblemOncePerRecipientAndReply() throws {
        let records = try JSONLines.finished([
            ("bob@example.com", "failed", "550 5.1.1 user unknown"), ("bob@example.com", "failed", "550 5.1.1 user unknown"),
            ("bob@example.com", "failed", "550 5.1.1 user unknown"), ("carol@example.com", "delivered", "250 2.0.0 Ok"),
        ])
        let text = MirrorReportRenderer.render(MirrorReport(finished: records, queued: []))
        #expect(text.contains("new server rejected 3 messages for bob@example.com: 550 5.1.1 user unknown"))
        #expect(text.contains("copies accepted:          1"))
    }

    /// Issue 13.10: a copy mailferry refused to send (the new server lacks 8BITMIME) is not
    /// blamed on the new server.
    @Test func doesNotBlameTheNewServerForWhatTheMirrorDidNotSend() throws {
        let reply = "not sent by mailferry: 554 5.6.3 next hop does not support 8BITMIME and mailferry never converts content"
        let records = try JSONLines.finished([("dave@example.com", "failed", reply)])
        let report = MirrorReport(finished: records, queued: [])
        #expect(report.problems.map(\.verdict) == ["not-sent"])
        let text = MirrorReportRenderer.render(report)
        #expect(!text.contains("new server rejected"))
        #expect(text.contains("mirror did not send 1 message for dave@example.com (the new server lacks an extension): \(reply)"))
    }

    @Test func saysSoWhenThereIsNothingWrong() throws {
        let records = try JSONLines.finished([("carol@example.com", "delivered", "250 ok")])
        #expect(MirrorReportRenderer.render(MirrorReport(finished: records, queued: [])).contains("No problems"))
    }
}

/// Builds FinishedRecords through their JSON form (their initializer is the spool's).
enum JSONLines {
    static func finished(_ rows: [(String, String, String)]) throws -> [FinishedRecord] {
        try rows.enumerated().map { index, row in
            let id = QueueID.make(unixTime: Double(1_700_000_000 + index)).rawValue
            let json = """
                {"id":"\(id)","receivedAt":1,"finishedAt":2,"attempts":1,"bodyLength":10,"metadata":{},
                 "recipients":[{"address":"\(row.0)","state":"\(row.1)","reply":"\(row.2)"}]}
                """
            return try JSONDecoder().decode(FinishedRecord.self, from: Data(json.utf8))
        }
    }
}
