import ArgumentParser

/// What `scripts/bench sync` and `scripts/bench verify` share: the testbed, how often to
/// measure, the generated source account, TLS and what to keep afterwards.
struct BenchRunOptions: ParsableArguments {
    @Option(help: "testbed.json (default: $MAILFERRY_TESTBED, else .testbed/testbed.json above the current directory).")
    var testbed: String?

    @Option(help: "Measurements of each tool or step.")
    var `repeat` = 3

    @Option(help: "Messages in the source account.")
    var messages = 2000

    @Option(help: "How many of them are 1-25 MB.")
    var large = 9

    @Option(help: "Folders besides INBOX.")
    var folders = 14

    @Flag(help: "Plaintext IMAP on loopback for every tool instead of STARTTLS.")
    var noTLS = false

    @Flag(help: "Keep the scratch directory: tool configs, state directories, every run's stdout, stderr and time -v report.")
    var keepFiles = false

    @Flag(help: "Leave the destination accounts filled (default: emptied with scripts/testbed reset).")
    var keepAccounts = false

    func validate() throws {
        guard `repeat` >= 1 else { throw ValidationError("--repeat must be at least 1") }
    }

    func makeRig() throws -> SyncBenchRig {
        try SyncBenchRig(testbedPath: testbed, startTLS: !noTLS)
    }

    /// The source account, filled with the benchmark corpus.
    func prepareSource(_ rig: SyncBenchRig) async throws -> BenchSource {
        try await BenchSource.prepare(rig: rig, messages: messages, large: large, folders: folders)
    }
}
