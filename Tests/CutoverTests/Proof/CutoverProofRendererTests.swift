import Cutover
import Foundation
import Testing

struct CutoverProofRendererTests {
    func hostileReport() -> CutoverProofReport {
        var logs = ProofLogBuilder()
        logs.chain(at: 10, oldQID: "A1B2C3D4E5", newQID: "F0E1D2C3B4", users: ["alice"], messageID: "<x\"><script>alert(1)</script>@evil>")
        logs.dovecot.removeLast()
        return logs.prove()
    }

    @Test func jsonHasStableKeysAndRoundTrips() throws {
        let report = hostileReport()
        let data = try CutoverProofJSONRenderer().render(report)
        let decoded = try JSONDecoder().decode(CutoverProofReport.self, from: data)
        #expect(decoded == report)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["verdict", "reasons", "since", "until", "timeline", "counts", "logs", "gaps", "entries",
                                     "duplicates", "refusals", "notes"])
        #expect(object["verdict"] as? String == "failed")
        #expect(object["since"] as? String == "2026-12-06T12:00:00Z")
        let counts = try #require(object["counts"] as? [String: Int])
        #expect(counts["lost"] == 1 && counts["accepted"] == 1 && counts["refused"] == 0)
        let entry = try #require((object["entries"] as? [[String: Any]])?.first)
        #expect((entry["outcome"] as? [String: Any])?["kind"] as? String == "unaccounted")
    }

    @Test func htmlEscapesWhatSendersWroteAndShowsTheVerdict() {
        let html = CutoverProofHTMLRenderer().render(hostileReport())
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;"))
        #expect(html.contains("mailferry cutover proof: FAILED"))
        #expect(html.contains("Needs a look (1)"))
        #expect(html.contains("<td>hold</td>"))
    }
}
