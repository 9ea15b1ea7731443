import Testing

@testable import mailferry_bench

/// The cutover benchmark's bookkeeping: what counts as refused, lost, duplicated and held.
struct CutoverBenchFiguresTests {
    typealias Attempt = CutoverBenchLoad.Attempt

    static func attempt(_ message: Int, at: Double, accepted: Bool, toOld: Bool = true) -> Attempt {
        Attempt(message: message, toOld: toOld, startedAt: at - 0.1, at: at, accepted: accepted, reply: accepted ? "250 ok" : "refused")
    }

    @Test func refusedRetriedLostDuplicatedAndHeldAreCountedFromTheAttemptsAndTheCensus() {
        let attempts = [
            Self.attempt(0, at: 100, accepted: true),
            Self.attempt(1, at: 101, accepted: false),
            Self.attempt(2, at: 102, accepted: true),
            // Held: accepted by the old host inside the window.
            Self.attempt(3, at: 110, accepted: true),
            Self.attempt(1, at: 111, accepted: true, toOld: false),
            // Never accepted.
            Self.attempt(4, at: 112, accepted: false),
            Self.attempt(4, at: 122, accepted: false),
        ]
        let census = [
            (subject: "corpus a 0", modified: 50.0),
            (subject: "flow-0", modified: 100.5), (subject: "flow-0", modified: 100.6),
            (subject: "flow-1", modified: 111.2),
            (subject: "flow-3", modified: 115.0),
        ]
        let figures = CutoverBenchFigures(
            runbook: "test", freeze: 4, imapUnavailable: 5, finalDelta: 1, held: 105...113, steps: [("enter-hold", 1)],
            attempts: attempts, expected: ["corpus a 0", "delta a 0"], census: census)
        #expect(figures.refused == 3)
        #expect(figures.accepted == 4)
        #expect(figures.neverAccepted == 1)
        // delta a 0 and flow-2 are missing; flow-0 is there twice.
        #expect(figures.lost == 2)
        #expect(figures.duplicated == 1)
        #expect(figures.longestGap == 8)
        #expect(figures.heldLatencies == [5])
        #expect(figures.releaseLatencies == [2])
    }
}
