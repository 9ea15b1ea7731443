import ArgumentParser
import Foundation
import Migration

/// `mailferry cutover status`: from the journal only; contacts no host.
struct CutoverStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the phase, every finished step, an interrupted or failed step, and what comes next.",
        discussion: """
            Reads the journal in the state store only; contacts no host. Exits 0, or 1 when \
            the last attempt of a step failed (the reason is shown; `cutover run` retries it).

            \(ExitStatus.helpTable)
            """
    )

    @OptionGroup var options: CutoverOptions

    @Flag(help: "Print the status as JSON.")
    var json = false

    func run() async throws {
        let status = try await options.session().status()
        print(json ? try CutoverRenderer.json(status) : CutoverRenderer.text(status))
        if status.failure != nil { throw ExitStatus.partial.exitCode }
    }
}
