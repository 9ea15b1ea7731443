import Foundation
import MailTestSupport
import Testing

@Suite struct TestbedLocatorTests {
    @Test func explicitPathWins() throws {
        let url = try TestbedLocator.find(
            environment: ["MAILFERRY_TESTBED": "/x/tb.json"], startingAt: "/a/b",
            fileExists: { $0 == "/x/tb.json" || $0 == "/a/.testbed/testbed.json" })
        #expect(url?.path == "/x/tb.json")
    }

    @Test func explicitPathThatDoesNotExistIsAnError() {
        #expect(throws: TestbedUnavailable.self) {
            try TestbedLocator.find(environment: ["MAILFERRY_TESTBED": "/x/tb.json"], startingAt: "/a", fileExists: { _ in false })
        }
    }

    @Test func walksUpToTheNearestTestbed() throws {
        let url = try TestbedLocator.find(
            environment: [:], startingAt: "/work/wt/me/Sources/Deep",
            fileExists: { $0 == "/work/wt/me/.testbed/testbed.json" || $0 == "/work/.testbed/testbed.json" })
        #expect(url?.path == "/work/wt/me/.testbed/testbed.json")
    }

    @Test func nothingFoundIsNil() throws {
        #expect(try TestbedLocator.find(environment: ["MAILFERRY_TESTBED": ""], startingAt: "/a/b", fileExists: { _ in false }) == nil)
    }
}
