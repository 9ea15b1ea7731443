import MailModel

/// Decides where each source folder goes: INBOX to INBOX, the source's prefix and separator
/// to the destination's (`INBOX.Archive.2019` → `Archive/2019`), roles to roles (Courier's
/// `INBOX.Sent Items` → Dovecot's `\Sent` folder), then the user's rules on top. It writes
/// nothing: problems (collisions, names the destination cannot hold) come back in the plan so
/// that a run can refuse to start before touching either side.
public struct FolderMapper: Sendable {
    public var sourceHierarchy: StoreHierarchy
    public var destinationHierarchy: StoreHierarchy
    public var rules: MappingRules

    public init(sourceHierarchy: StoreHierarchy, destinationHierarchy: StoreHierarchy, rules: MappingRules = MappingRules()) {
        self.sourceHierarchy = sourceHierarchy
        self.destinationHierarchy = destinationHierarchy
        self.rules = rules
    }

    /// Map every source folder against the destination's current folders.
    public func plan(source: [FolderListing], destination: [FolderListing]) -> FolderPlan {
        var problems: [MappingProblem] = []
        let compiled = compileRules(&problems)
        var skipped: [(folder: String, reason: String)] = []
        var candidates: [FolderListing] = []
        for folder in source.sorted(by: { $0.name.name < $1.name.name }) {
            if !folder.isSelectable, folder.nameError == nil {
                skipped.append((folder.name.name, "not selectable (a hierarchy level only)"))
            } else if let reason = compiled.filterReason(folder.name.name) {
                skipped.append((folder.name.name, reason))
            } else if let nameError = folder.nameError {
                problems.append(.unrepresentable(source: folder.name.name, reason: nameError))
            } else {
                candidates.append(folder)
            }
        }
        let roleTargets = destinationRoleFolders(destination)
        let roleWinners = chooseRoleWinners(candidates)
        let existing = Set(destination.map(\.name))
        let subscribed = Set(destination.filter(\.isSubscribed).map(\.name))

        var mappings: [FolderMapping] = []
        for folder in candidates {
            switch destinationName(for: folder, compiled: compiled, roleTargets: roleTargets, roleWinners: roleWinners) {
            case .success(let (name, reason)):
                mappings.append(FolderMapping(source: folder, destination: name, reason: reason, destinationExists: existing.contains(name),
                    destinationSubscribed: subscribed.contains(name)))
            case .failure(let problem):
                problems.append(problem)
            }
        }
        var bySource: [MailboxName: [String]] = [:]
        for mapping in mappings { bySource[mapping.destination, default: []].append(mapping.source.name.name) }
        for (destinationName, sources) in bySource where sources.count > 1 {
            problems.append(.collision(sources: sources.sorted(), destination: destinationName.name))
        }
        problems.sort { $0.description < $1.description }
        return FolderPlan(mappings: mappings, skipped: skipped, problems: problems)
    }

    private func destinationName(
        for folder: FolderListing, compiled: CompiledRules, roleTargets: [SpecialUse: MailboxName],
        roleWinners: [MailboxName: SpecialUse]
    ) -> Result<(MailboxName, FolderMapping.Reason), MappingProblem> {
        let sourceName = folder.name.name
        if let target = compiled.rename(of: sourceName) {
            return .success((MailboxName(target, separator: destinationHierarchy.separator), .rule("\(sourceName)=\(target)")))
        }
        for pattern in compiled.patterns {
            if let target = pattern.apply(to: sourceName) {
                return .success((MailboxName(target, separator: destinationHierarchy.separator), .rule(pattern.text)))
            }
        }
        if folder.name.isInbox {
            return .success((.inbox(separator: destinationHierarchy.separator), .inbox))
        }
        if let role = roleWinners[folder.name], let target = roleTargets[role] {
            return .success((target, .specialUse(role)))
        }
        var levels = relativeLevels(of: folder.name)
        if levels.first == "INBOX", destinationHierarchy.prefix.hasPrefix("INBOX"), levels.count > 1 {
            levels.removeFirst()  // "INBOX/a" on a prefix-less source is "INBOX.a" on Courier
        }
        if let empty = levels.firstIndex(where: \.isEmpty) {
            return .failure(.unrepresentable(source: sourceName, reason: "level \(empty + 1) of the name is empty"))
        }
        if let separator = destinationHierarchy.separator,
            let level = levels.first(where: { $0.contains(separator) })
        {
            return .failure(.unrepresentable(
                source: sourceName, reason: "\"\(level)\" contains the destination's hierarchy separator \"\(separator)\""))
        }
        if destinationHierarchy.separator == nil, levels.count > 1 {
            return .failure(.unrepresentable(source: sourceName, reason: "the destination has no folder hierarchy"))
        }
        let joined = levels.joined(separator: destinationHierarchy.separator.map(String.init) ?? "")
        return .success((MailboxName(destinationHierarchy.prefix + joined, separator: destinationHierarchy.separator), .hierarchy))
    }

    /// The source name's levels below the personal namespace prefix.
    func relativeLevels(of name: MailboxName) -> [String] {
        var text = name.name
        if !sourceHierarchy.prefix.isEmpty, text.hasPrefix(sourceHierarchy.prefix) {
            text.removeFirst(sourceHierarchy.prefix.count)
        }
        guard let separator = sourceHierarchy.separator else { return [text] }
        return text.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
    }

    /// The destination's folder for each role: by SPECIAL-USE attribute first, then by a
    /// well-known top-level name.
    private func destinationRoleFolders(_ destination: [FolderListing]) -> [SpecialUse: MailboxName] {
        var targets: [SpecialUse: MailboxName] = [:]
        for folder in destination {
            if let role = folder.specialUse, targets[role] == nil { targets[role] = folder.name }
        }
        let prefixLength = destinationHierarchy.prefix.count
        for (name, role) in SpecialUse.wellKnownNames where targets[role] == nil {
            if let folder = destination.first(where: {
                $0.name.name.hasPrefix(destinationHierarchy.prefix)
                    && String($0.name.name.dropFirst(prefixLength)).lowercased() == name.lowercased()
            }) {
                targets[role] = folder.name
            }
        }
        return targets
    }

    /// For each role, the one source folder that takes it: a folder with the SPECIAL-USE
    /// attribute first, then well-known names in order of preference. Other folders that look
    /// like the same role keep their own names (they are never merged).
    private func chooseRoleWinners(_ source: [FolderListing]) -> [MailboxName: SpecialUse] {
        var winners: [SpecialUse: (rank: Int, name: MailboxName)] = [:]
        for folder in source where !folder.name.isInbox {
            let levels = relativeLevels(of: folder.name)
            let rank: Int
            let role: SpecialUse
            if let attribute = folder.specialUse {
                (rank, role) = (-1, attribute)
            } else if levels.count == 1,
                let index = SpecialUse.wellKnownNames.firstIndex(where: { $0.name.lowercased() == levels[0].lowercased() })
            {
                (rank, role) = (index, SpecialUse.wellKnownNames[index].role)
            } else {
                continue
            }
            if let current = winners[role], current.rank <= rank { continue }
            winners[role] = (rank, folder.name)
        }
        return Dictionary(uniqueKeysWithValues: winners.map { ($0.value.name, $0.key) })
    }

    private func compileRules(_ problems: inout [MappingProblem]) -> CompiledRules {
        var compiled = CompiledRules()
        for rule in rules.renames {
            guard let (source, destination) = MappingRules.split(rule) else {
                problems.append(.invalidRule(rule, reason: "expected SOURCE=DESTINATION"))
                continue
            }
            compiled.renames[Array(MailboxName(source, separator: sourceHierarchy.separator).name.utf8)] = destination
        }
        for rule in rules.patterns {
            guard let (pattern, template) = MappingRules.split(rule) else {
                problems.append(.invalidRule(rule, reason: "expected REGEX=TEMPLATE"))
                continue
            }
            do {
                compiled.patterns.append(try CompiledRules.Pattern(text: rule, regex: CompiledRules.regex(pattern), template: template))
            } catch {
                problems.append(.invalidRule(rule, reason: "not a valid regular expression"))
            }
        }
        for (list, isInclude) in [(rules.include, true), (rules.exclude, false)] {
            for pattern in list {
                do {
                    let regex = try CompiledRules.regex(pattern)
                    if isInclude { compiled.include.append((pattern, regex)) } else { compiled.exclude.append((pattern, regex)) }
                } catch {
                    problems.append(.invalidRule(pattern, reason: "not a valid regular expression"))
                }
            }
        }
        return compiled
    }
}
