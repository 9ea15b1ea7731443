import ArgumentParser

/// `mailferry-bench NAME`: one subcommand per benchmark, run through `scripts/bench NAME`.
/// Each prints a table with the rates of mailferry and of baselines or peers measured in
/// the same run, so numbers from different machines are never compared.
@main
struct MailferryBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mailferry-bench",
        abstract: "Benchmarks for mailferry (release build; see scripts/bench).",
        subcommands: [IMAPParserBenchmark.self, IMAPFetchBenchmark.self, MirrorBenchmark.self, SyncBenchmark.self, VerifyBenchmark.self, MaildirBenchmark.self,
                      CutoverBenchmark.self, ForwardBenchmark.self, AccountsBenchmark.self]
    )
}
