import MailModel
import StateStore

/// The records of an account's folders, read while the first sessions connect and log in.
///
/// A re-run with nothing to copy needs, per folder, its records and the server's flags; the
/// servers answer every folder in one burst after the listing (``OpenAhead``), and the records
/// read only then were, on a 2-core machine shared with both servers, the last thing the run
/// waited for. Read during the login instead (Courier's takes tens of milliseconds, with the
/// CPU idle), they are there before the burst is sent.
///
/// Read once, after the state was bound to the destination and before any folder is synced;
/// nothing but a folder's own sync writes its records, and ``OpenAhead`` hands each folder's
/// out once, in the first window it announces on these sessions. Bounded like that window.
enum StateReadAhead {
    typealias Records = [[UInt8]: FolderSync.KnownState]

    /// Runs `body` while the records are read in a child task (when `enabled`); `body` takes
    /// them from the handoff where it needs them, or never.
    static func during<T: Sendable>(
        account: String, stateStore: any SyncStateStore, enabled: Bool, _ body: (Handoff<Records>?) async throws -> T
    ) async throws -> T {
        guard enabled else { return try await body(nil) }
        let handoff = Handoff<Records>()
        let result: Result<T, any Error> = await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    await handoff.lend(try await read(account: account, stateStore: stateStore))
                } catch {
                    handoff.fail(error)
                }
            }
            let result = await Result { try await body(handoff) }
            handoff.release()
            await group.waitForAll()
            return result
        }
        return try result.get()
    }

    /// The records of the folders the state knows, INBOX first, then by name, as many as
    /// ``OpenAhead`` would announce at once.
    static func read(account: String, stateStore: any SyncStateStore) async throws -> Records {
        // In the order the state gives them, INBOX (a run usually takes it first) in front.
        var pairs = try await stateStore.folderPairs(account: account)
        if let inbox = pairs.firstIndex(where: { MailboxName($0.sourceFolder, separator: nil).isInbox }) {
            pairs.insert(pairs.remove(at: inbox), at: 0)
        }
        var chosen: [FolderPairRecord] = []
        var messages = 0
        for pair in pairs.prefix(OpenAhead.maximumFolders) {
            messages += pair.sourceMessageCount
            if !chosen.isEmpty, messages > OpenAhead.maximumMessages { break }
            chosen.append(pair)
        }
        var records: Records = [:]
        for pair in chosen { records[Array(pair.sourceFolder.utf8)] = FolderSync.KnownState(pair: pair, records: []) }
        for record in try await stateStore.messages(account: account, sourceFolders: chosen.map(\.sourceFolder)) {
            records[Array(record.sourceFolder.utf8)]?.records.append(record)
        }
        return records
    }
}
