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

    @Test func versionIsSemantic() {
        let parts = MailferryVersion.string.split(separator: ".")
        #expect(parts.count == 3)
        #expect(parts.allSatisfy { Int($0) != nil })
    }
}
