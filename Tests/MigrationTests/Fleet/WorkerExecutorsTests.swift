import Testing

@testable import Migration

@Suite struct WorkerExecutorsTests {
    /// Two loops, as on the benchmark machine: (account index, workers per account) → loops.
    @Test(arguments: [
        (0, 1, ["a", "b"]), (1, 1, ["b", "a"]), (2, 1, ["a", "b"]),
        (0, 2, ["a", "b"]), (1, 2, ["a", "b"]),
        (1, 3, ["b", "a"]),
    ] as [(Int, Int, [String])])
    func theRoundRobinGoesOnAcrossAccounts(index: Int, workers: Int, expected: [String]) {
        #expect(WorkerExecutors.forAccount(index, of: ["a", "b"], workersPerAccount: workers) == expected)
    }

    @Test func oneWorkerPerAccountSpreadsOverEveryLoop() {
        let loops = ["a", "b", "c"]
        let first = (0..<6).map { WorkerExecutors.forAccount($0, of: loops, workersPerAccount: 1).first! }
        #expect(first == ["a", "b", "c", "a", "b", "c"])
    }

    @Test func noExecutorsStayNone() {
        #expect(WorkerExecutors.forAccount(3, of: [String](), workersPerAccount: 2).isEmpty)
    }
}
