import Cutover

/// The mailbox side of a cutover: the sync passes, their proof, and the mirror copies. A
/// protocol so the orchestrator is tested without servers and a fleet can bring its own.
public protocol CutoverMailboxes: Sendable {
    /// One sync pass over every account: a presync (mail still arriving) or the final delta
    /// (delivery held).
    func sync(_ pass: CutoverSyncPass) async throws -> CutoverSyncResult
    /// `verify` over every account: passed when nothing is missing or altered.
    func verify() async throws -> (passed: Bool, detail: String)
    /// ``verify()``, and when it passes, the marks as ``markNewMailboxes()`` takes them.
    /// The marks are taken after the verify, so nothing the final delta wrote lies above them.
    func verifyAndMark() async throws -> (passed: Bool, detail: String, marks: NewMailboxMarks?)
    /// Removes the mirror's verified copies from the new mailboxes: the number removed, the
    /// messages left because their tag does not verify (named, never deleted).
    func purgeMirrorCopies() async throws -> (removed: Int, left: [String])
    /// Where every new mailbox stands now (UIDVALIDITY and UIDNEXT per folder): taken just
    /// before the switch, the line after which mail is new to the old store.
    func markNewMailboxes() async throws -> NewMailboxMarks
    /// Copies mail delivered on the new side after `marks` back into the old store through
    /// `old` (a rollback from the switch); the number of messages written (those already
    /// there from an interrupted run are not written again).
    func copyBackSinceSwitch(marks: NewMailboxMarks, to old: any Cutover.Host) async throws -> Int
}

extension CutoverMailboxes {
    /// The two calls one after the other; a store that can read the marks in the verify's
    /// own sessions does so instead.
    public func verifyAndMark() async throws -> (passed: Bool, detail: String, marks: NewMailboxMarks?) {
        let result = try await verify()
        guard result.passed else { return (false, result.detail, nil) }
        return (true, result.detail, try await markNewMailboxes())
    }
}
