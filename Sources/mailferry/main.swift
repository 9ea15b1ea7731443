import ArgumentParser
import MailferryCLI

await MailferryCommand.main()
