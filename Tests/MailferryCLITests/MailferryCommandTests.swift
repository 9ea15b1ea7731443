import ArgumentParser
import MailferryCLI
import Testing

@Suite struct MailferryCommandTests {
    @Test func helpNamesEveryPhaseAndExitCodes() {
        let help = MailferryCommand.helpMessage()
        for word in ["mirror", "sync", "verify", "cutover", "Exit codes", "password"] {
            #expect(help.contains(word), "help should mention \(word)")
        }
    }

    /// Every command's --help carries the one table, with the I/O code the mirror and postfix use.
    @Test(arguments: [["mirror", "report"], ["mirror", "run"], ["postfix", "restore"], ["sync"], ["verify"], ["imap", "probe"],
                           ["cutover", "plan"], ["cutover", "run"], ["cutover", "status"], ["cutover", "rollback"], ["plan"], []])
    func everyHelpListsTheWholeExitTable(_ path: [String]) throws {
        let help = MailferryCommand.helpMessage(for: try #require(MailferryCommand.subcommand(path)), columns: 200)
        for code in ["0 ", "1 ", "4 ", "5 ", "64 ", "70 ", "74 "] {
            #expect(help.contains("\n  \(code)"), "\(path) --help lists exit code \(code)")
        }
    }

    @Test func versionIsSemantic() {
        let parts = MailferryVersion.string.split(separator: ".")
        #expect(parts.count == 3)
        #expect(parts.allSatisfy { Int($0) != nil })
    }
}

extension MailferryCommand {
    /// The command type at `path` below the root (the root itself for an empty path).
    static func subcommand(_ path: [String]) -> (any ParsableCommand.Type)? {
        var current: any ParsableCommand.Type = MailferryCommand.self
        for name in path {
            guard let next = current.configuration.subcommands.first(where: { $0._commandName == name }) else { return nil }
            current = next
        }
        return current
    }
}
