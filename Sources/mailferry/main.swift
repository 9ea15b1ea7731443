import ArgumentParser
import MailferryCLI

// Top-level code counts as a synchronous context for overload resolution, so a bare
// `await MailferryCommand.main()` here would pick ParsableCommand's synchronous main(),
// which refuses async subcommands. From an async function the async main() is chosen.
func mailferryMain() async {
    await MailferryCommand.main()
}

await mailferryMain()
