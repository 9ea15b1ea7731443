/// What one sync pass of a cutover did, over every account.
public struct CutoverSyncResult: Hashable, Sendable {
    public var copied: Int
    /// Destination folders that held only the mirror's verified copies and took the source's
    /// UIDVALIDITY in this pass.
    public var adoptedFolders: Int
    /// Messages left for a later pass (a presync's settle window). The final delta may leave
    /// none: a deferred message is not on the new server.
    public var deferred: Int
    /// Accounts that did not end complete (a pass with problems is not a delta the cutover
    /// may go on from); deferred messages alone are not a problem here.
    public var problems: [String]

    public init(copied: Int, adoptedFolders: Int = 0, deferred: Int = 0, problems: [String] = []) {
        self.copied = copied
        self.adoptedFolders = adoptedFolders
        self.deferred = deferred
        self.problems = problems
    }

    /// For the step's detail in the journal and `cutover status`.
    public var summary: String {
        var parts = ["copied \(copied) messages"]
        if adoptedFolders > 0 {
            parts.append("\(adoptedFolders) folder\(adoptedFolders == 1 ? "" : "s") of mirror copies adopted under the source's UIDVALIDITY")
        }
        if deferred > 0 { parts.append("\(deferred) deferred (delivered in the settle window; a later pass copies them)") }
        return parts.joined(separator: "; ")
    }
}
