import ArgumentParser
import Foundation
import MailferryConfig
import MailSpool
import Migration
import Relay

/// `mailferry mirror report`: what the new server made of the copies.
struct MirrorReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Summarise the new server's verdicts: accepted, deferred, rejected, with its replies.",
        discussion: """
            Every line under "Problems" is something to fix on the new server before cutover, \
            for example: new server rejected 3 messages for bob@example.com: 550 5.1.1 user unknown

            "accepted, then failed" lines come from the new server's notifications about copies \
            it accepted and could not deliver later (over quota): they reach the mirror when the \
            new server routes the bounce domain to it (see `mailferry postfix mirror`).

            Exits 0 also when problems are listed; 1 with --fail-on-problems when there are any; \
            74 when the spool cannot be read.

            \(ExitStatus.helpTable)
            """
    )

    @OptionGroup var location: SpoolLocationOptions

    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    @Flag(name: .long, help: "Exit 1 when the new server refused, deferred or expired any copy.")
    var failOnProblems = false

    func run() async throws {
        let report: MirrorReport
        do {
            let spool = try location.open()
            let lateFailures = try LateFailureLog(spoolDirectory: spool.root).records()
            report = MirrorReport(finished: try spool.finishedRecords(), queued: try spool.entries(), lateFailures: lateFailures)
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data("mailferry mirror report: \(error)\n".utf8))
            throw ExitStatus.usage.exitCode
        } catch {
            FileHandle.standardError.write(Data("mailferry mirror report: \(error)\n".utf8))
            throw ExitStatus.ioError.exitCode
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(MirrorReportRenderer.render(report), terminator: "")
        }
        if failOnProblems && report.hasProblems { throw ExitStatus.partial.exitCode }
    }
}
