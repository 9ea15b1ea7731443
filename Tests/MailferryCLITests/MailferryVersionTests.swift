import ArgumentParser
import MailferryCLI
import Testing

@Suite struct MailferryVersionTests {
    @Test func namesTheFullCommit() {
        let commit = "3fa6f687ab2f7b7994805241eb2446683db0065c"
        #expect(MailferryVersion.describe(number: "1.2.3", commit: commit, modified: false) == "mailferry 1.2.3 (commit \(commit))")
        #expect(MailferryVersion.describe(number: "1.2.3", commit: commit, modified: true) == "mailferry 1.2.3 (commit \(commit), modified)")
    }

    /// A build from a tarball must not look like a build from some commit.
    @Test func saysPlainlyWhenTheCommitIsUnknown() {
        #expect(MailferryVersion.describe(number: "1.2.3", commit: nil, modified: false)
            == "mailferry 1.2.3 (commit unknown: not built from a git checkout)")
    }

    /// `--version` prints the stamped description (the stamp itself is checked against
    /// `git rev-parse HEAD` on the release binary by scripts/lib/check-package.sh).
    @Test func versionFlagPrintsTheDescription() {
        #expect(MailferryCommand.configuration.version == MailferryVersion.description)
        #expect(MailferryVersion.description.hasPrefix("mailferry \(MailferryVersion.string) (commit "))
    }
}
