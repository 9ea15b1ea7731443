import MailModel

/// Compares two manifests of one folder pair and names every difference.
///
/// Messages pair up by fingerprint (as many times as each side holds them: two identical
/// messages stay two); among equal fingerprints, equal UIDs pair first. What is left over is
/// missing or extra, unless a leftover pair shares a Message-ID or was recorded by the sync
/// as source and copy, which makes it one altered message.
public struct FolderComparator: Sendable {
    public var expectSameUIDs: Bool

    public init(expectSameUIDs: Bool = false) {
        self.expectSameUIDs = expectSameUIDs
    }

    public struct Result: Sendable {
        public var matched = 0
        public var discrepancies: [Discrepancy] = []
    }

    /// - Parameter recordedCopies: source UID → destination UID as the sync state recorded them.
    public func compare(source: FolderManifest, destination: FolderManifest, recordedCopies: [UInt32: UInt32] = [:]) -> Result {
        var result = Result()
        if expectSameUIDs, source.uidValidity != destination.uidValidity {
            result.discrepancies.append(Discrepancy(
                kind: .uidValidityDiffers, source: .init(folder: source.folder, entry: nil),
                destination: .init(folder: destination.folder, entry: nil),
                detail: "UIDVALIDITY \(source.uidValidity) on the source, \(destination.uidValidity) on the destination"))
        }
        var destinationByHash = Dictionary(grouping: destination.entries, by: \.sha256)
        var missing: [ManifestEntry] = []
        for entry in source.entries {
            guard var candidates = destinationByHash[entry.sha256], !candidates.isEmpty else {
                missing.append(entry)
                continue
            }
            let index = candidates.firstIndex { $0.uid == entry.uid } ?? 0
            let copy = candidates.remove(at: index)
            destinationByHash[entry.sha256] = candidates
            result.matched += 1
            result.discrepancies += metadataDifferences(entry, copy, source: source.folder, destination: destination.folder)
        }
        var extra = destinationByHash.values.flatMap { $0 }.sorted { $0.uid < $1.uid }

        for entry in missing {
            if let index = extra.firstIndex(where: { isSameMessage(entry, $0, recordedCopies: recordedCopies) }) {
                let copy = extra.remove(at: index)
                result.discrepancies.append(Discrepancy(
                    kind: .altered, source: .init(folder: source.folder, entry: entry),
                    destination: .init(folder: destination.folder, entry: copy),
                    detail: "same message, different bytes (\(entry.size) → \(copy.size) bytes)"))
            } else {
                result.discrepancies.append(Discrepancy(
                    kind: .missing, source: .init(folder: source.folder, entry: entry), destination: nil,
                    detail: "not on the destination"))
            }
        }
        for copy in extra {
            result.discrepancies.append(Discrepancy(
                kind: .extra, source: nil, destination: .init(folder: destination.folder, entry: copy),
                detail: "not on the source"))
        }
        return result
    }

    private func isSameMessage(_ original: ManifestEntry, _ copy: ManifestEntry, recordedCopies: [UInt32: UInt32]) -> Bool {
        if let recorded = recordedCopies[original.uid], recorded == copy.uid { return true }
        if let id = original.messageID, !id.isEmpty, id == copy.messageID { return true }
        return false
    }

    private func metadataDifferences(_ original: ManifestEntry, _ copy: ManifestEntry, source: String, destination: String) -> [Discrepancy] {
        var found: [Discrepancy] = []
        let sourceSide = Discrepancy.Side(folder: source, entry: original)
        let destinationSide = Discrepancy.Side(folder: destination, entry: copy)
        if original.flagSet != copy.flagSet {
            let lost = original.flagSet.subtracting(copy.flagSet).map(\.stringValue).sorted()
            let added = copy.flagSet.subtracting(original.flagSet).map(\.stringValue).sorted()
            var parts: [String] = []
            if !lost.isEmpty { parts.append("missing on the destination: \(lost.joined(separator: " "))") }
            if !added.isEmpty { parts.append("only on the destination: \(added.joined(separator: " "))") }
            found.append(Discrepancy(kind: .flagsDiffer, source: sourceSide, destination: destinationSide, detail: parts.joined(separator: "; ")))
        }
        if original.internalDate != copy.internalDate {
            found.append(Discrepancy(
                kind: .dateDiffers, source: sourceSide, destination: destinationSide,
                detail: "INTERNALDATE \(original.internalDate.map(String.init) ?? "none") → \(copy.internalDate.map(String.init) ?? "none")"))
        }
        if expectSameUIDs, original.uid != copy.uid {
            found.append(Discrepancy(kind: .uidDiffers, source: sourceSide, destination: destinationSide, detail: "UID \(original.uid) → \(copy.uid)"))
        }
        return found
    }
}
