import Glibc
import MailModel

/// Applies a ``FolderConversionPlan`` to an open ``DovecotFolder``: the small I/O layer
/// around the pure planner. Copies are streamed from the source file into `tmp/`, fsynced,
/// and committed in checkpoints of ``ConversionOptions/commitInterval`` messages.
enum FolderConverter {
    static func apply(
        _ plan: FolderConversionPlan, to folder: DovecotFolder, options: ConversionOptions
    ) throws(MaildirError) -> FolderConversionReport {
        do throws(MaildirError) {
            return try applyStaged(plan, to: folder, options: options)
        } catch {
            // Leave nothing half-staged behind: uncommitted files go, committed ones stay.
            try? folder.discardPendingChanges()
            throw error
        }
    }

    private static func applyStaged(
        _ plan: FolderConversionPlan, to folder: DovecotFolder, options: ConversionOptions
    ) throws(MaildirError) -> FolderConversionReport {
        var report = FolderConversionReport(levels: plan.levels, destinationPath: folder.path, identity: plan.identity)
        report.diagnostics = plan.diagnostics
        report.unchanged = plan.unchanged
        report.destinationOnly = plan.destinationOnly
        switch plan.identity {
        case .refused:
            return report
        case .keep(let validity, let next):
            try folder.setIdentity(uidValidity: validity, nextUID: next, allowingChange: options.overwrite)
        case .leaveToDovecot:
            break
        }
        folder.reserveKeywords(plan.keywordPriority)
        for move in plan.renumberings {
            try folder.renumber(base: move.base, to: move.to)
            report.renumbered += 1
        }
        for adoption in plan.adoptions {
            try folder.adopt(base: adoption.base, uid: adoption.uid, pop3UIDL: adoption.pop3UIDL, pop3Order: adoption.pop3Order)
            report.adopted += 1
        }
        for update in plan.flagUpdates {
            if try folder.setFlags(uid: update.uid, flags: update.flags, keywords: update.keywords, otherFlagLetters: update.otherFlagLetters) {
                report.flagsUpdated += 1
            }
        }
        var sinceCommit = 0
        for copy in plan.copies {
            guard let written = try copyFile(copy.source, into: folder, report: &report) else { continue }
            try folder.add(written, spec: copy.spec)
            report.copied += 1
            report.bytes += written.size
            sinceCommit += 1
            if sinceCommit >= options.commitInterval {
                report.indexFilesRemoved += try folder.commit().indexFilesRemoved
                sinceCommit = 0
            }
        }
        report.indexFilesRemoved += try folder.commit(rewritingMetadata: options.overwrite).indexFilesRemoved
        report.unstorableKeywords = folder.unstorableKeywords
        report.diagnostics += folder.diagnostics
        return report
    }

    /// Stream one source file into the folder's `tmp/`. A file that vanished (expunged or
    /// renamed by a running server) is reported and left for the next run; a file whose
    /// size changed while copying is refused.
    static func copyFile(
        _ message: CourierMessage, into folder: DovecotFolder, report: inout FolderConversionReport
    ) throws(MaildirError) -> WrittenMessage? {
        let writer = try folder.makeMessageWriter(computeVirtualSize: false)
        do throws(MaildirError) {
            try writer.append(contentsOf: message.path)
        } catch where error.errno == ENOENT {
            writer.abort()
            report.diagnostics.append(MaildirDiagnostic(
                .warning, .skippedLine, path: message.path, messageBase: message.base,
                "vanished while copying (expunged or flags changed on the source); the next run copies it"))
            return nil
        } catch {
            writer.abort()
            throw error
        }
        guard writer.size == message.size else {
            writer.abort()
            report.diagnostics.append(MaildirDiagnostic(
                .error, .sizeMismatch, path: message.path, messageBase: message.base,
                "size changed while copying (\(message.size) → \(writer.size) bytes); not copied, re-run"))
            return nil
        }
        return try writer.finish(modificationTime: message.file.modificationTime)
    }
}
