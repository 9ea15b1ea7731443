import MailModel
import SyncEngine

/// Reads one folder into a ``FolderManifest``: summaries, then the bodies streamed through
/// SHA-256. Fingerprints the sync state already knows for unchanged messages are reused
/// unless a deep check is asked for.
struct ManifestBuilder {
    let reader: any MailboxReader

    /// - Parameters:
    ///   - known: fingerprints the sync state recorded, by UID, valid for `knownValidity`.
    func build(folder: String, status: FolderStatus, known: [UID: KnownMessage], deep: Bool) async throws -> FolderManifest {
        if deep { return try await buildDeep(folder: folder, status: status) }
        let summaries = try await reader.summaries(.all)
        var entries: [ManifestEntry] = []
        var toFetch: [UID] = []
        var fromState = 0
        for summary in summaries {
            if !deep, let known = known[summary.uid], known.size == summary.size {
                entries.append(ManifestEntry(
                    uid: summary.uid, fingerprint: known.fingerprint, size: summary.size, internalDate: summary.internalDate,
                    flags: summary.flags))
                fromState += 1
            } else {
                toFetch.append(summary.uid)
            }
        }
        if !toFetch.isEmpty {
            let sink = ManifestSink()
            try await reader.fetchBodies(toFetch, into: sink)
            let byUID = Dictionary(summaries.map { ($0.uid, $0) }, uniquingKeysWith: { first, _ in first })
            for uid in toFetch {
                // A message expunged between the summary and the fetch is simply not there.
                guard let result = sink.results[uid], let summary = byUID[uid] else { continue }
                entries.append(ManifestEntry(
                    uid: uid, fingerprint: result.fingerprint, size: result.size, internalDate: summary.internalDate,
                    flags: summary.flags, messageID: result.headers.messageID, subject: result.headers.subject))
            }
        }
        entries.sort { $0.uid < $1.uid }
        return FolderManifest(folder: folder, uidValidity: status.uidValidity.rawValue, entries: entries, fromState: fromState)
    }

    /// Every message read and hashed, in one pass where the store can (``SummaryRequest/withBodies(into:)``).
    private func buildDeep(folder: String, status: FolderStatus) async throws -> FolderManifest {
        let sink = ManifestSink()
        let summaries = try await reader.summaries(.withBodies(into: sink))
        var entries: [ManifestEntry] = []
        entries.reserveCapacity(summaries.count)
        for summary in summaries {
            // A message expunged between the summary and the fetch is simply not there.
            guard let result = sink.results[summary.uid] else { continue }
            entries.append(ManifestEntry(
                uid: summary.uid, fingerprint: result.fingerprint, size: result.size, internalDate: summary.internalDate,
                flags: summary.flags, messageID: result.headers.messageID, subject: result.headers.subject))
        }
        return FolderManifest(folder: folder, uidValidity: status.uidValidity.rawValue, entries: entries, fromState: 0)
    }

    /// Fill in Message-ID and Subject for entries that came from the state, so a discrepancy
    /// report can name them.
    func describe(_ uids: [UID], in manifest: inout FolderManifest) async throws {
        guard !uids.isEmpty else { return }
        let sink = ManifestSink()
        try await reader.fetchBodies(uids, into: sink)
        for index in manifest.entries.indices {
            guard let uid = UID(manifest.entries[index].uid), let result = sink.results[uid] else { continue }
            manifest.entries[index].messageID = result.headers.messageID
            manifest.entries[index].subject = result.headers.subject
        }
    }
}

/// What the sync state knows about a message without reading it.
struct KnownMessage {
    var fingerprint: MessageFingerprint
    var size: Int
}
