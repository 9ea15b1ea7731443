/// Which executors (event loops) an account's folder workers run on: the round-robin goes on
/// from one account to the next. Each account starting at the first loop put every account's
/// only worker on one loop with `--folders-in-parallel 1 --jobs N`: one core for all of them.
public enum WorkerExecutors {
    /// The executors for the account at `index` in the run's order, its first worker's first.
    public static func forAccount<Executor>(_ index: Int, of all: [Executor], workersPerAccount: Int) -> [Executor] {
        guard !all.isEmpty else { return [] }
        let start = (index * max(1, workersPerAccount)) % all.count
        return Array(all[start...] + all[..<start])
    }
}
