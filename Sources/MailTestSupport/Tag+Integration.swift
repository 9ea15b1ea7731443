import Testing
import TestbedClient

extension Tag {
    /// Tests that talk to the real servers of the testbed (`scripts/testbed up`).
    /// Every such test also carries ``Testing/Trait/requiresTestbed``.
    @Tag public static var integration: Self
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only when the testbed is up, or when `MAILFERRY_REQUIRE_TESTBED=1`
    /// (then a missing testbed makes ``Testbed/require()`` throw and the test fail).
    public static var requiresTestbed: Self {
        .enabled("needs the testbed: run scripts/testbed up (MAILFERRY_REQUIRE_TESTBED=1 makes this a failure)") {
            Testbed.shouldRunIntegrationTests
        }
    }
}
