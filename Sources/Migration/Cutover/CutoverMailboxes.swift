/// The mailbox side of a cutover: the sync passes, their proof, and the mirror copies. A
/// protocol so the orchestrator is tested without servers and a fleet can bring its own.
public protocol CutoverMailboxes: Sendable {
    /// One sync pass over every account; the messages it copied, and its problems (a pass
    /// with problems is not a delta the cutover may go on from).
    func sync() async throws -> (copied: Int, problems: [String])
    /// `verify` over every account: passed when nothing is missing or altered.
    func verify() async throws -> (passed: Bool, detail: String)
    /// Removes the mirror's tagged copies from the new mailboxes; the number removed.
    func purgeMirrorCopies() async throws -> Int
    /// Copies mail delivered on the new side since the switch back to the old store (a
    /// rollback from the switch); the number copied.
    func copyBackSinceSwitch(since: Double) async throws -> Int
}
