public import MailModel

/// Computes a ``FolderConversionPlan``: pure, from a Courier folder snapshot and the
/// destination folder's state.
///
/// Identity: a valid `courierimapuiddb` gives UIDVALIDITY and UIDs. Without one, a POP3
/// user's INBOX (E18) is numbered as Courier would number it, under the POP3 list's
/// UIDVALIDITY, to keep the POP3 UIDLs; any other folder is left to Dovecot (E5). A
/// destination with another UIDVALIDITY is refused unless ``ConversionOptions/overwrite``
/// (E4). Messages are matched by destination base name (the source's, made unique for
/// duplicates and corrected when its `,S=` is wrong); present messages are never
/// rewritten, only their flags change.
public enum FolderConversionPlanner {
    public static func plan(
        source: CourierFolderSnapshot, destination: DestinationFolderState, levels: [String], options: ConversionOptions,
        now: Int64
    ) -> FolderConversionPlan {
        var diagnostics: [MaildirDiagnostic] = []
        let path = source.folder.path
        let identity = decideIdentity(source: source, destination: destination, options: options, now: now, diagnostics: &diagnostics)
        let numbered: Bool
        var identityChanges = false
        switch identity {
        case .refused:
            return FolderConversionPlan(
                levels: levels, identity: identity, keywordPriority: [], renumberings: [], adoptions: [], copies: [], flagUpdates: [],
                unchanged: 0, destinationOnly: destination.messages.count, diagnostics: diagnostics)
        case .keep(let validity, _):
            numbered = true
            identityChanges = destination.uidValidity != nil && destination.uidValidity != validity
        case .leaveToDovecot:
            numbered = false
        }

        let bases = destinationBases(source.messages)
        var destinationByBase: [String: DovecotMessage] = [:]
        for message in destination.messages { destinationByBase[message.base] = message }
        func destinationUID(_ message: DovecotMessage) -> UID? { identityChanges ? nil : message.uid }
        let usedUIDs = Set(destination.messages.compactMap(destinationUID))

        // Pass 1: records that must move to the UID Courier has given meanwhile.
        var renumberings: [FolderConversionPlan.Renumbering] = []
        for (index, message) in source.messages.enumerated() {
            guard numbered, let uid = message.uid, let present = destinationByBase[bases[index]],
                let current = destinationUID(present), current != uid, message.uidOrigin == .database,
                options.followCourierRenumbering
            else { continue }
            renumberings.append(.init(base: present.base, from: current, to: uid))
        }
        let freed = Set(renumberings.map(\.from))
        var taken = usedUIDs.subtracting(freed)
        renumberings = renumberings.filter { move in
            guard taken.insert(move.to).inserted else {
                diagnostics.append(conflict(path, move.base, "cannot move to UID \(move.to): it is used by another message in the destination"))
                return false
            }
            return true
        }
        let renumbered = Dictionary(uniqueKeysWithValues: renumberings.map { ($0.base, $0.to) })

        // Pass 2: copy, adopt, update flags.
        var adoptions: [FolderConversionPlan.Adoption] = []
        var copies: [FolderConversionPlan.Copy] = []
        var flagUpdates: [FolderConversionPlan.FlagUpdate] = []
        var unchanged = 0
        var matched: Set<String> = []
        for (index, message) in source.messages.enumerated() {
            let base = bases[index]
            let uid = numbered ? message.uid : nil
            let pop3 = numbered ? message.pop3 : nil
            guard let present = destinationByBase[base] else {
                if let uid, let orphanBase = identityChanges ? nil : destination.recordsWithoutFiles[uid], orphanBase != base {
                    diagnostics.append(conflict(path, base, "UID \(uid) is recorded for \(orphanBase) in the destination; not copied"))
                    continue
                }
                if let uid, taken.contains(uid) {
                    diagnostics.append(conflict(path, base, "UID \(uid) is used by another message in the destination; not copied"))
                    continue
                }
                if let uid { taken.insert(uid) }
                copies.append(.init(source: message, spec: spec(for: message, base: base, uid: uid, pop3: pop3)))
                continue
            }
            matched.insert(base)
            var changed = renumbered[base] != nil
            var effective = renumbered[base] ?? destinationUID(present)
            if effective == nil, let uid {
                guard !taken.contains(uid) else {
                    diagnostics.append(conflict(path, base, "UID \(uid) is used by another message in the destination"))
                    continue
                }
                taken.insert(uid)
                adoptions.append(.init(base: base, uid: uid, pop3UIDL: pop3?.uidl, pop3Order: pop3?.order))
                effective = uid
                changed = true
            } else if let current = effective, let uid, current != uid {
                diagnostics.append(conflict(path, base, "the destination has UID \(current), Courier has \(uid); left as it is"))
            }
            if let target = effective, message.file.location == .cur, needsFlagUpdate(present, message) {
                flagUpdates.append(.init(uid: target, flags: message.flags, keywords: message.keywords, otherFlagLetters: message.otherFlagLetters))
                changed = true
            }
            if !changed { unchanged += 1 }
        }
        let destinationOnly = destination.messages.filter { !matched.contains($0.base) }.count
        if destinationOnly > 0 {
            diagnostics.append(MaildirDiagnostic(
                .info, .destinationOnlyMessage, path: path, "\(destinationOnly) messages exist only in the destination; left untouched"))
        }
        var usage: [String: Int] = [:]
        for message in source.messages { for keyword in message.keywords { usage[keyword, default: 0] += 1 } }
        return FolderConversionPlan(
            levels: levels, identity: identity, keywordPriority: DovecotKeywords.byUsage(usage), renumberings: renumberings,
            adoptions: adoptions, copies: copies, flagUpdates: flagUpdates, unchanged: unchanged, destinationOnly: destinationOnly,
            diagnostics: diagnostics)
    }

    static func spec(for message: CourierMessage, base: String, uid: UID?, pop3: CourierMessage.POP3?) -> DovecotMessageSpec {
        DovecotMessageSpec(
            uid: uid, preferredBase: base, flags: message.flags, keywords: message.keywords, otherFlagLetters: message.otherFlagLetters,
            extraInfo: message.file.fileName.extraInfo, internalDate: message.internalDate, location: message.file.location,
            pop3UIDL: pop3?.uidl, pop3Order: pop3?.order)
    }

    static func needsFlagUpdate(_ present: DovecotMessage, _ message: CourierMessage) -> Bool {
        if present.flags != message.flags { return true }
        if Set(present.keywords.map { $0.lowercased() }) != Set(message.keywords.map { $0.lowercased() }) { return true }
        return present.file.fileName.flags.otherLetters != message.otherFlagLetters
    }

    static func conflict(_ path: String, _ base: String, _ text: String) -> MaildirDiagnostic {
        MaildirDiagnostic(.error, .uidConflict, path: path, messageBase: base, text)
    }
}
