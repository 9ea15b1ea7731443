import CorpusGenerator
import Foundation

/// Generates one account's corpus, writes its manifest, and reports progress and a summary.
struct CorpusRun {
    let target: CorpusTarget
    let profile: CorpusProfile
    let seed: UInt64
    let replace: Bool
    let quiet: Bool

    func execute() throws {
        let start = Date()
        let writer = CorpusWriter(profile: profile, seed: seed, user: target.user)
        var lastReport = Date()
        var firstMessage: Date?  // the rate excludes emptying the Maildir (--replace)
        let manifest = try writer.write(into: target.maildir, owner: target.owner, replace: replace) { done, total in
            let began = firstMessage ?? Date()
            firstMessage = began
            guard !quiet, Date().timeIntervalSince(lastReport) >= 1, done < total else { return }
            lastReport = Date()
            let rate = Double(done) / max(Date().timeIntervalSince(began), 0.001)
            let eta = Double(total - done) / max(rate, 0.001)
            FileHandle.standardError.write(Data("\r\(target.user): \(done)/\(total) messages, ETA \(Int(eta.rounded())) s   ".utf8))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let url = URL(fileURLWithPath: target.manifest)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try encoder.encode(manifest).write(to: url, options: .atomic)
        } catch {
            throw CorpusError.io("cannot write the manifest \(target.manifest): \(error)")
        }
        guard !quiet else { return }
        let seconds = Date().timeIntervalSince(start)
        let mb = Double(manifest.totalBytes) / 1_048_576
        let line = String(
            format: "\r%@: %d messages, %.1f MB, %d folders in %.1f s (%.0f msg/s) -> %@\n  manifest: %@\n",
            target.user, manifest.totalMessages, mb, manifest.folders.count, seconds,
            Double(manifest.totalMessages) / max(seconds, 0.001), target.maildir, target.manifest)
        FileHandle.standardError.write(Data(line.utf8))
    }
}
