import ArgumentParser
import CorpusGenerator
import Foundation

/// `mailferry-corpus`: fills Courier Maildirs with a deterministic test corpus. Argument
/// parsing and wiring only; the generator is the CorpusGenerator library.
@main
struct CorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mailferry-corpus",
        abstract: "Fill Courier Maildir++ mailboxes with a deterministic test corpus and write a manifest.",
        discussion: """
            The same seed, user and sizes always give byte-identical files, names and mtimes.
            Each account gets INBOX plus --folders folders (Sent, Drafts, Trash, Junk, nested
            Archive.2019, UTF-8 names like Entwürfe and 日本語, names with spaces and &), flags in
            the ":2," suffixes, keywords in courierimapkeywords/, INTERNALDATE as mtime,
            courierimapsubscribed, and the edge cases migrations trip on: no Message-ID,
            duplicate Message-IDs with different bodies, raw 8-bit and RFC 2047 headers, LF line
            ends, an empty body, no final newline, mail still in new/, 1-25 MB attachments.

            The manifest (JSON) lists per folder every message's SHA-256, size, flags,
            keywords, INTERNALDATE, Date and Message-ID, for comparing a migration against.

            Examples:
              mailferry-corpus --user tbbench                  # testbed account, benchmark profile
              mailferry-corpus --accounts tbalice,tbbob --messages 300 --seed 7
              mailferry-corpus --maildir /tmp/md --owner alice --messages 50 --large 0

            Exit codes: 0 done, 1 generation failed (nothing half-written is left unreported), 64 usage.
            """)

    @Option(name: .long, help: ArgumentHelp("Testbed account to fill (repeatable); its Maildir comes from testbed.json.", valueName: "name"))
    var user: [String] = []

    @Option(name: .long, help: ArgumentHelp("Comma-separated testbed accounts (same as repeating --user).", valueName: "a,b,..."))
    var accounts: String?

    @Option(name: .long, help: ArgumentHelp("Maildir root to fill instead of a testbed account.", valueName: "path"))
    var maildir: String?

    @Option(name: .long, help: ArgumentHelp("System user that must own --maildir (default: leave ownership).", valueName: "user"))
    var owner: String?

    @Option(name: .long, help: ArgumentHelp("testbed.json (default: $MAILFERRY_TESTBED, else .testbed/testbed.json above the current directory).", valueName: "path"))
    var testbed: String?

    @Option(name: .long, help: "Seed; the corpus is a function of seed, user name and sizes.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Messages per account (default: 2000 for tbbench, 300 otherwise).")
    var messages: Int?

    @Option(name: .long, help: "How many of them are 1-25 MB messages with an attachment (default: 9 for tbbench, 1 otherwise).")
    var large: Int?

    @Option(name: .long, help: "Folders besides INBOX (default 14, at most 20).")
    var folders: Int?

    @Option(name: .long, help: ArgumentHelp("Largest size of a large message, in MB (default 25).", valueName: "MB"))
    var largeMaxMb: Int = 25

    @Option(name: .long, help: ArgumentHelp("Manifest path (one account only). Default: <testbed>/corpus/<user>.manifest.json, or <maildir>.manifest.json.", valueName: "path"))
    var manifest: String?

    @Flag(name: .long, help: "Empty a Maildir that already holds mail before generating (otherwise refuse).")
    var replace = false

    @Flag(name: .long, help: "Print only errors.")
    var quiet = false

    func validate() throws {
        let names = accountNames
        if maildir != nil, !names.isEmpty { throw ValidationError("use either --maildir or --user/--accounts, not both") }
        if maildir == nil, names.isEmpty { throw ValidationError("say where: --user NAME, --accounts A,B or --maildir PATH") }
        if owner != nil, maildir == nil { throw ValidationError("--owner goes with --maildir (testbed accounts own their Maildir)") }
        if manifest != nil, names.count > 1 { throw ValidationError("--manifest names one file; with several accounts use the default paths") }
    }

    var accountNames: [String] {
        user + (accounts?.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } ?? [])
    }

    func run() throws {
        let targets = try CorpusTargets.resolve(command: self)
        for target in targets {
            let isBench = target.user == "tbbench"
            let base = isBench ? CorpusProfile.benchmark : CorpusProfile.standard
            let profile = CorpusProfile(
                messages: messages ?? base.messages, largeMessages: large ?? base.largeMessages,
                folders: folders ?? base.folders, largeMaxBytes: largeMaxMb * 1_048_576)
            do {
                try CorpusRun(target: target, profile: profile, seed: seed, replace: replace, quiet: quiet).execute()
            } catch let error as CorpusError {
                FileHandle.standardError.write(Data("mailferry-corpus: \(target.user): \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
