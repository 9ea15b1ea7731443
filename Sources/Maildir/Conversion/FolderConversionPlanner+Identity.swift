import MailModel

extension FolderConversionPlanner {
    /// Courier's UIDVALIDITY formula for a new database: `time − IMAP_EPOCH`.
    static let courierEpoch: Int64 = 1_000_000_000

    static func decideIdentity(
        source: CourierFolderSnapshot, destination: DestinationFolderState, options: ConversionOptions, now: Int64,
        diagnostics: inout [MaildirDiagnostic]
    ) -> FolderConversionPlan.Identity {
        let path = source.folder.path
        var validity: UIDValidity
        switch source.uidDatabase {
        case .valid:
            validity = source.uidValidity!
        case .missing, .unusable:
            let renumber: Bool
            if case .unusable = source.uidDatabase {
                renumber = options.unusableDatabase == .renumber
            } else {
                renumber = source.messages.contains { $0.pop3 != nil }
            }
            guard renumber else {
                diagnostics.append(MaildirDiagnostic(
                    .info, .uidlistLeftToDovecot, path: path,
                    "no usable courierimapuiddb (never opened over IMAP, or unreadable): messages are copied without UIDs and Dovecot numbers them"))
                return .leaveToDovecot
            }
            if let pop3 = source.pop3SizeList?.uidValidity, pop3 > 0, pop3 <= UInt64(UInt32.max) {
                validity = UIDValidity(UInt32(pop3))
            } else if let existing = destination.uidValidity {
                validity = existing
            } else {
                validity = UIDValidity(UInt32(truncatingIfNeeded: max(1, now - courierEpoch)))
            }
            diagnostics.append(MaildirDiagnostic(
                .info, .uidAssigned, path: path,
                "no usable courierimapuiddb: messages numbered from 1 as Courier would, UIDVALIDITY \(validity), to keep the POP3 UIDLs"))
        }
        if let existing = destination.uidValidity, existing != validity, !options.overwrite {
            diagnostics.append(MaildirDiagnostic(
                .error, .uidConflict, path: path,
                "the destination folder has UIDVALIDITY \(existing), the source \(validity); nothing written (use overwrite to replace the destination's UIDs)"))
            return .refused
        }
        var next = source.nextUID
        if destination.uidValidity == validity, destination.nextUID > next { next = destination.nextUID }
        return .keep(uidValidity: validity, nextUID: next)
    }

    /// The base each source message gets in the destination: its own, with `,S=` corrected
    /// when wrong, and made unique (`-dupN` before the first `,`) for duplicates, so that a
    /// re-run finds every copy again.
    static func destinationBases(_ messages: [CourierMessage]) -> [String] {
        var duplicateCounter: [String: Int] = [:]
        var result: [String] = []
        let order = messages.indices.sorted { messages[$0].file.relativePath < messages[$1].file.relativePath }
        var baseAt: [Int: String] = [:]
        for index in order {
            let message = messages[index]
            var base = message.base
            if let recorded = message.file.fileName.sizeField, recorded != message.size {
                base = MaildirFilename.base(base, replacingSize: message.size)
            }
            if message.isDuplicateBase {
                let count = duplicateCounter[message.base, default: 0] + 1
                duplicateCounter[message.base] = count
                if let comma = base.firstIndex(of: ",") {
                    base = String(base[..<comma]) + "-dup\(count)" + String(base[comma...])
                } else {
                    base += "-dup\(count)"
                }
            }
            baseAt[index] = base
        }
        for index in messages.indices { result.append(baseAt[index]!) }
        return result
    }
}
