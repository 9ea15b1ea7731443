/// Runs one piece of work per account with at most `parallel` at a time (`--jobs`), keeping
/// the results in the accounts' order.
public struct AccountRunner {
    public var parallel: Int

    public init(parallel: Int) { self.parallel = parallel }

    public func run<Result: Sendable>(_ jobs: [AccountJob], _ body: @escaping @Sendable (AccountJob) async -> Result) async -> [Result] {
        await run(jobs) { _, job in await body(job) }
    }

    /// Like ``run(_:_:)``, also telling `body` the account's index in `jobs`.
    public func run<Result: Sendable>(_ jobs: [AccountJob], _ body: @escaping @Sendable (Int, AccountJob) async -> Result) async -> [Result] {
        await withTaskGroup(of: (Int, Result).self) { group in
            var results = [Result?](repeating: nil, count: jobs.count)
            var next = 0
            func startNext() {
                guard next < jobs.count else { return }
                let index = next
                let job = jobs[index]
                next += 1
                group.addTask { (index, await body(index, job)) }
            }
            for _ in 0..<max(1, parallel) { startNext() }
            for await (index, result) in group {
                results[index] = result
                startNext()
            }
            return results.map { $0! }
        }
    }
}
