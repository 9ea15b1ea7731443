import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension Testbed {
    /// True when `MAILFERRY_REQUIRE_TESTBED=1` (set by `scripts/test`): integration tests
    /// then fail instead of being skipped when the testbed is missing.
    public static var isRequired: Bool {
        ProcessInfo.processInfo.environment["MAILFERRY_REQUIRE_TESTBED"] == "1"
    }

    /// The testbed of this test process, located and probed once: testbed.json found
    /// (``TestbedLocator``), readable, and both IMAP servers accepting connections.
    public static let availability: Result<Testbed, TestbedUnavailable> = probe()

    /// Whether tests marked ``Testing/Trait/requiresTestbed`` run: when the testbed is up,
    /// or when it is required (and the tests then fail with the reason).
    public static var shouldRunIntegrationTests: Bool {
        if isRequired { return true }
        if case .success = availability { return true }
        return false
    }

    /// The testbed, or an error that says why it is unavailable and how to fix it.
    public static func require() throws -> Testbed {
        try availability.get()
    }

    static func probe() -> Result<Testbed, TestbedUnavailable> {
        let environment = ProcessInfo.processInfo.environment
        let start = FileManager.default.currentDirectoryPath
        do {
            guard let url = try TestbedLocator.find(environment: environment, startingAt: start) else {
                return .failure(TestbedUnavailable(
                    reason: "no .testbed/testbed.json above \(start) and MAILFERRY_TESTBED is not set (run scripts/testbed up)"))
            }
            let testbed = try Testbed.load(from: url)
            for (side, endpoint) in [("old", testbed.old.imap), ("new", testbed.new.imap)] {
                do {
                    close(try LineSocket.open(host: endpoint.host, port: endpoint.port, peer: endpoint.description, timeout: 2))
                } catch {
                    return .failure(TestbedUnavailable(
                        reason: "\(url.path) exists but the \(side) IMAP server at \(endpoint) is not running (\(error)); run scripts/testbed up"))
                }
            }
            return .success(testbed)
        } catch let error as TestbedUnavailable {
            return .failure(error)
        } catch {
            return .failure(TestbedUnavailable(reason: "cannot read testbed.json: \(error)"))
        }
    }
}
