/// One runbook's figures in one run of `scripts/bench cutover`.
struct CutoverBenchFigures {
    var runbook: String
    /// Mail frozen: from the hold (the Q&A: Postfix stopped) until the old host relays to the new one.
    var freeze: Double
    /// From the old IMAP/POP stop until the new host's IMAP opens.
    var imapUnavailable: Double
    /// Seconds from the old host's 250 to the new mailbox, for mail accepted while held.
    var heldLatencies: [Double]
    /// Seconds from the start of the relay step (the hold's end) to the new mailbox, for the same mail.
    var releaseLatencies: [Double]
    /// Connection attempts refused or answered with anything but 250.
    var refused: Int
    /// The longest time with no 250 from either host while mail flowed.
    var longestGap: Double
    var accepted: Int
    /// Messages still refused after every retry.
    var neverAccepted: Int
    var lost: Int
    var duplicated: Int
    /// Messages the copy inside the window carried (the final delta).
    var finalDelta: Int
    /// The runbook's steps from the IMAP stop to the relay (and the IMAP open), with their seconds.
    var steps: [(name: String, seconds: Double)]
    /// Copies the mirror relayed to the new server (nil: no mirror phase).
    var mirrorCopies: Int?

    /// The figures from the load's record and the new store's census; `held` is the window in
    /// which the old host held mail (nil when the runbook holds nothing).
    init(runbook: String, freeze: Double, imapUnavailable: Double, finalDelta: Int, held: ClosedRange<Double>?, steps: [(name: String, seconds: Double)],
         attempts: [CutoverBenchLoad.Attempt], expected: [String], census: [(subject: String, modified: Double)]) {
        self.runbook = runbook
        self.freeze = freeze
        self.imapUnavailable = imapUnavailable
        self.finalDelta = finalDelta
        self.steps = steps
        refused = attempts.filter { !$0.accepted }.count
        var firstAccepted: [Int: CutoverBenchLoad.Attempt] = [:]
        for attempt in attempts where attempt.accepted && firstAccepted[attempt.message] == nil { firstAccepted[attempt.message] = attempt }
        accepted = firstAccepted.count
        neverAccepted = Set(attempts.map(\.message)).subtracting(firstAccepted.keys).count
        let times = attempts.filter(\.accepted).map(\.at).sorted()
        longestGap = zip(times, times.dropFirst()).map { $1 - $0 }.max() ?? 0
        var copies: [String: Int] = [:]
        var arrived: [String: Double] = [:]
        for entry in census {
            copies[entry.subject, default: 0] += 1
            arrived[entry.subject] = min(arrived[entry.subject] ?? .infinity, entry.modified)
        }
        let wanted = expected + firstAccepted.keys.map(CutoverBenchLoad.subject)
        lost = wanted.filter { copies[$0] == nil }.count
        duplicated = copies.values.filter { $0 > 1 }.count
        let heldMail = held.map { window in firstAccepted.values.filter { $0.toOld && window.contains($0.at) } } ?? []
        heldLatencies = heldMail.compactMap { attempt in arrived[CutoverBenchLoad.subject(attempt.message)].map { $0 - attempt.at } }
        releaseLatencies = heldMail.compactMap { attempt in
            arrived[CutoverBenchLoad.subject(attempt.message)].map { $0 - (held?.upperBound ?? $0) }
        }
    }
}
