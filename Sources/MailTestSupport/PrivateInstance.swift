/// How a test runs a server instance of its own (a private Dovecot, a private Postfix): start
/// it, run the body, stop it; stopped as well when the start or the body throws, so a
/// half-started server never outlives its test.
public enum PrivateInstance {
    public static func run<Instance, T>(
        _ instance: Instance, start: () async throws -> Void, stop: () async -> Void, _ body: (Instance) async throws -> T
    ) async throws -> T {
        do {
            try await start()
            let result = try await body(instance)
            await stop()
            return result
        } catch {
            await stop()
            throw error
        }
    }
}
