import Foundation

/// One `mailferry sync --from maildir:… --to maildir:… --owner …` run, Courier Maildir →
/// Dovecot Maildir, as an admin starts it: the release executable next to mailferry-bench,
/// measured from outside (process start, state directory, the last flush included).
struct BenchMaildirSync {
    /// The `mailferry` executable of the same build.
    let binary: String
    let source: String
    let destination: String
    /// Owner of what is written (Dovecot's mail user), as `--owner`.
    let owner: String
    let state: String
    /// Where the run's output files go.
    let directory: String

    /// A run that must copy `expecting` messages; wall time, peak RSS and CPU time.
    func timed(expecting: Int) throws -> TimedRun {
        let command = TimedCommand(
            label: expecting == 0 ? "mailferry-noop" : "mailferry", program: binary,
            arguments: ["sync", "--from", "maildir:" + source, "--to", "maildir:" + destination, "--owner", owner, "--state", state, "--json"])
        let run = try command.run(in: directory)
        guard run.status == 0 else { throw BenchError("mailferry sync exited \(run.status): \(run.tail)") }
        let copied = try Self.copied(inJSON: run.stdout)
        guard copied == expecting else { throw BenchError("mailferry copied \(copied) of \(expecting): \(run.tail)") }
        return run
    }

    /// The messages copied, summed over the folders of `mailferry sync --json`'s accounts.
    static func copied(inJSON output: String) throws -> Int {
        guard let data = output.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let accounts = object["accounts"] as? [[String: Any]]
        else { throw BenchError("mailferry sync --json printed no accounts: \(output.suffix(300))") }
        return accounts.reduce(0) { total, account in
            total + ((account["folders"] as? [[String: Any]]) ?? []).reduce(0) { $0 + (($1["copied"] as? Int) ?? 0) }
        }
    }
}
