import MailferryCLI

await MailferryCommand.runFromCommandLine()
