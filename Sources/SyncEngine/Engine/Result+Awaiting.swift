extension Result where Failure == any Error {
    /// The outcome of `body`, success or error. For work on several sessions at once, where
    /// every side must be awaited before any error is thrown: a session left in the middle of
    /// a command would answer the next one out of turn.
    public init(awaiting body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
