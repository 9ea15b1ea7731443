import Logging
import MailModel
import SMTPClient
import SMTPCodec

/// Sends messages over `sessions` parallel SMTP sessions and records each transaction's
/// time (MAIL FROM to the final reply): what a sending MTA waits for per message.
enum LatencyProbe {
    struct Result {
        var seconds: Double
        var latencies: [Double]
        var failures: Int

        var messagesPerSecond: Double { Double(latencies.count) / seconds }

        func percentile(_ p: Double) -> Double {
            guard !latencies.isEmpty else { return .nan }
            let sorted = latencies.sorted()
            return sorted[min(sorted.count - 1, max(0, Int((Double(sorted.count) * p).rounded(.up)) - 1))]
        }
    }

    static func run(host: String, port: Int, recipient: String, messages: Int, sessions: Int, size: Int) async throws -> Result {
        guard let address = EmailAddress(recipient) else { throw BenchError("bad recipient \(recipient)") }
        let envelope = MailEnvelope(sender: .mailbox(EmailAddress("bench@ext.example")!), recipients: [.mailbox(address)])
        let line = String(repeating: "x", count: 76) + "\r\n"
        let body = Array(("Subject: mailferry bench\r\n\r\n" + String(repeating: line, count: max(1, size / line.utf8.count))).utf8)[...]
        let configuration = SMTPClientConfiguration(host: host, port: port, heloName: "bench.example", tls: .none)
        let start = ContinuousClock.now
        let perSession = messages / sessions
        let collected = try await withThrowingTaskGroup(of: ([Double], Int).self) { group in
            for _ in 0..<sessions {
                group.addTask {
                    var latencies: [Double] = []
                    var failures = 0
                    try await SMTPClientConnection.withConnection(configuration, clock: ContinuousClock(), logger: Logger(label: "bench")) { connection in
                        for _ in 0..<perSession {
                            let before = ContinuousClock.now
                            let outcomes = try await connection.send(SMTPOutgoingMessage(envelope: envelope, content: body, contains8Bit: false))
                            let elapsed = ContinuousClock.now - before
                            if outcomes.first?.disposition == .delivered {
                                latencies.append(Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds))
                            } else {
                                failures += 1
                            }
                        }
                    }
                    return (latencies, failures)
                }
            }
            var all: ([Double], Int) = ([], 0)
            for try await (latencies, failures) in group {
                all.0 += latencies
                all.1 += failures
            }
            return all
        }
        let elapsed = ContinuousClock.now - start
        return Result(seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                      latencies: collected.0, failures: collected.1)
    }
}
