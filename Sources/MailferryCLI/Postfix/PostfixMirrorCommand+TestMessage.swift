import Foundation
import Logging
import MailModel
import MailSpool
import Migration
import PostfixControl

extension PostfixMirrorCommand {
    /// `--test-to`: finds the old server's listener, sends the test message and, given the
    /// mirror's spool, waits for its copy. True when the old server accepted it and every
    /// copy the mirror finished was delivered.
    func sendTestMessage(to address: String, instance: PostfixInstance) async throws -> Bool {
        guard let recipient = EmailAddress(address, allowUTF8: true) else {
            print("Test message: \(address) is not a valid address")
            return false
        }
        let listener = try test.smtp ?? instance.smtpListeners().first
        guard let listener, let (host, port) = try? HostPort.parse(listener.contains(":") ? listener : "127.0.0.1:\(listener)", option: "--smtp") else {
            print("Test message: no smtpd listener found in master.cf; give --smtp HOST:PORT")
            return false
        }
        let message = PostfixTestMessage(to: recipient)
        switch try await message.send(host: host, port: port, logger: Logger(label: "mailferry.postfix")) {
        case .refused(let detail):
            print("Test message: the old server refused it: \(detail ?? "no reply")")
            return false
        case .accepted(let detail):
            print("Test message \(message.messageID): old server accepted it (\(detail))")
        }
        guard let spoolDirectory = test.mirrorSpool else { return true }
        switch try await message.awaitCopy(spoolDirectory: spoolDirectory, wait: .seconds(test.wait), clock: ContinuousClock()) {
        case .finished(let record):
            let verdicts = record.recipients.map { "\($0.address): \($0.state.rawValue) (\($0.reply))" }.joined(separator: "; ")
            print("  copy \(record.id) reached the mirror; new server: \(verdicts)")
            return record.recipients.allSatisfy { $0.state == .delivered }
        case .queued(let waiting):
            print("  copy \(waiting.id) is in the mirror's queue: \(waiting.lastReplies.joined(separator: "; "))")
        case .missing:
            print("  no copy reached the mirror within \(test.wait)s (see the old server's log and `postqueue -p`)")
        }
        return false
    }
}
