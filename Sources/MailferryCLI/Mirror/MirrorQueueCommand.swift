import ArgumentParser
import Foundation
import MailferryConfig
import MailSpool
import Migration

/// `mailferry mirror queue`: like `postqueue -p` for the mirror's spool.
struct MirrorQueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "List the copies waiting for the new server, with the last reply for each recipient.",
        discussion: "Read-only; safe while the mirror runs. Exits 0, 64 on bad options, 74 when the spool cannot be read.\n\n\(ExitStatus.helpTable)"
    )

    @OptionGroup var location: SpoolLocationOptions

    @Flag(name: .long, help: "One JSON object per line instead of the table.")
    var json = false

    func run() async throws {
        let entries: [SpoolEntry]
        do {
            entries = try location.open().entries()
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data("mailferry mirror queue: \(error)\n".utf8))
            throw ExitStatus.usage.exitCode
        } catch {
            FileHandle.standardError.write(Data("mailferry mirror queue: \(error)\n".utf8))
            throw ExitStatus.ioError.exitCode
        }
        if json {
            for entry in entries { print(Self.jsonLine(entry)) }
            return
        }
        print(QueueTableRenderer.render(entries, now: Date().timeIntervalSince1970), terminator: "")
    }

    static func jsonLine(_ entry: SpoolEntry) -> String {
        struct Line: Encodable {
            var id: String, receivedAt: Double, size: Int, held: Bool, attempts: Int, nextAttemptAt: Double?
            var recipients: [[String: String]]
        }
        let recipients = entry.envelope.recipients.indices.map { index in
            ["address": entry.envelope.recipients[index], "state": entry.states[index].rawValue,
             "reply": entry.lastReplies.indices.contains(index) ? entry.lastReplies[index] : ""]
        }
        let line = Line(id: entry.id.rawValue, receivedAt: entry.envelope.receivedAt, size: entry.bodyLength, held: entry.held,
                        attempts: entry.attempts, nextAttemptAt: entry.nextAttemptAt, recipients: recipients)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(line)) ?? Data(), as: UTF8.self)
    }
}
