import Glibc

/// Converts a whole Courier Maildir++ tree into a Dovecot Maildir, keeping UIDVALIDITY,
/// UIDs, flags, keywords, dates, subscriptions and POP3 UIDLs: the on-disk equivalent of
/// `courier-dovecot-migrate.pl`, without its bugs, as a copy to another tree (which may
/// be on another disk), incremental and safe to re-run.
///
/// Each folder is planned (``FolderConversionPlanner``) and applied on its own; a folder
/// that fails or is refused is reported and the others proceed.
public struct MaildirConverter {
    public let source: CourierMaildir
    public let destinationRoot: String
    public let layout: DovecotLayout
    public let ownership: MaildirOwnership
    public let options: ConversionOptions
    public let destinationOptions: DovecotMaildir.Options

    public init(
        source: CourierMaildir, destinationRoot: String, layout: DovecotLayout = DovecotLayout(), ownership: MaildirOwnership,
        options: ConversionOptions = ConversionOptions(), destinationOptions: DovecotMaildir.Options = .init()
    ) {
        self.source = source
        self.destinationRoot = destinationRoot
        self.layout = layout
        self.ownership = ownership
        self.options = options
        self.destinationOptions = destinationOptions
    }

    /// Plan every folder without writing anything (the dry run).
    public func plan() throws(MaildirError) -> (plans: [FolderConversionPlan], diagnostics: [MaildirDiagnostic]) {
        let (folders, diagnostics) = try source.folders()
        var plans: [FolderConversionPlan] = []
        for folder in folders {
            let snapshot = try source.read(folder, assignUIDsToNew: options.numberNewMessages)
            let state = try destinationState(levels: folder.levels)
            plans.append(FolderConversionPlanner.plan(
                source: snapshot, destination: state, levels: folder.levels, options: options, now: Int64(time(nil))))
        }
        return (plans, diagnostics)
    }

    /// Convert every folder and the subscriptions.
    public func run() throws(MaildirError) -> ConversionReport {
        var report = ConversionReport()
        let destination = try DovecotMaildir(root: destinationRoot, layout: layout, ownership: ownership, options: destinationOptions)
        let (folders, diagnostics) = try source.folders()
        report.diagnostics += diagnostics
        for folder in folders {
            do throws(MaildirError) {
                let snapshot = try source.read(folder, assignUIDsToNew: options.numberNewMessages)
                let target = try destination.openFolder(levels: folder.levels)
                let plan = FolderConversionPlanner.plan(
                    source: snapshot, destination: DestinationFolderState(folder: target), levels: folder.levels, options: options,
                    now: Int64(time(nil)))
                var folderReport = try FolderConverter.apply(plan, to: target, options: options)
                folderReport.diagnostics = snapshot.diagnostics + folderReport.diagnostics
                report.folders.append(folderReport)
            } catch {
                report.failures.append((folder.levels, error))
            }
        }
        if options.convertSubscriptions, let subscriptions = try source.subscriptions() {
            report.diagnostics += subscriptions.diagnostics
            var levels: [[String]] = []
            for entry in subscriptions.entries {
                switch entry {
                case .inbox: levels.append([])
                case .folder(let folderLevels): levels.append(folderLevels)
                case .shared: continue
                }
            }
            do throws(MaildirError) {
                report.subscriptionsWritten = try destination.subscribe(levels)
            } catch {
                report.failures.append(([], error))
            }
        }
        return report
    }

    private func destinationState(levels: [String]) throws(MaildirError) -> DestinationFolderState {
        guard let name = try layout.directoryName(levels: levels) else {
            return try existingState(path: destinationRoot, levels: levels)
        }
        return try existingState(path: destinationRoot + "/" + name, levels: levels)
    }

    private func existingState(path: String, levels: [String]) throws(MaildirError) -> DestinationFolderState {
        guard try FileSystem.isDirectory(FileSystem.join(path, "cur")) else { return .empty }
        let folder = try DovecotFolder(
            levels: levels, path: path, rootPath: destinationRoot, ownership: ownership, lockOptions: destinationOptions.lock,
            names: MaildirUniqueName())
        return DestinationFolderState(folder: folder)
    }
}
