import Foundation

/// Apply, verify and restore the mirror-phase settings.
extension PostfixInstance {
    /// Write the maps, back up what changes, set the parameters, check and reload.
    /// Applying twice updates the maps and keeps the first backup.
    @discardableResult
    public func applyMirror(_ plan: PostfixMirrorPlan, now: Double = Date().timeIntervalSince1970,
                            checkAndReload: Bool = true) throws -> [(String, String)] {
        let directory = mailferryDirectory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let current = try explicitSettings()
        let settings = try plan.settings(current: current, directory: directory)
        let ourBcc = settings[0].1
        if let existing = try PostfixBackup.load(from: directory), current["recipient_bcc_maps"] != ourBcc {
            // A backup from an earlier mirror phase that was undone by hand: keep it aside.
            try FileManager.default.moveItem(atPath: PostfixBackup.path(in: directory),
                                             toPath: "\(directory)/backup-\(Int(existing.createdAt)).json")
        }
        if try PostfixBackup.load(from: directory) == nil {
            var parameters: [String: String?] = [:]
            for (name, _) in settings { parameters[name] = .some(current[name]) }
            try PostfixBackup(createdAt: now, parameters: parameters, explicitSettings: current).save(to: directory)
            let mainCF = "\(configDirectory)/main.cf"
            let copy = "\(directory)/main.cf.before-mirror"
            try? FileManager.default.removeItem(atPath: copy)
            try FileManager.default.copyItem(atPath: mainCF, toPath: copy)
        }
        for file in plan.files() {
            try AtomicFile.write(Data(file.content.utf8), to: "\(directory)/\(file.name)")
            if file.type == "hash" { try postmap(plan.mapSpec(file, directory: directory)) }
        }
        try set(settings)
        if checkAndReload {
            try check()
            try reloadIfRunning()
        }
        return settings
    }

    /// One verification step, for the printed checklist.
    public struct Check: Hashable, Sendable {
        public var description: String
        public var passed: Bool
        public var detail: String
    }

    /// Look the maps up the way Postfix will: a sample recipient per domain must produce the
    /// shadow copy, and the shadow domain must route to the mirror.
    public func verifyMirror(_ plan: PostfixMirrorPlan) throws -> [Check] {
        var checks: [Check] = []
        let directory = mailferryDirectory
        let files = plan.files()
        let bcc = try value("recipient_bcc_maps")
        let ourBcc = plan.mapSpec(files[0], directory: directory)
        checks.append(Check(description: "recipient_bcc_maps uses mailferry's map", passed: bcc == ourBcc, detail: bcc))
        let transportMaps = try value("transport_maps")
        let ourTransport = plan.mapSpec(files[1], directory: directory)
        checks.append(Check(description: "transport_maps starts with mailferry's map", passed: transportMaps.hasPrefix(ourTransport), detail: transportMaps))
        for domain in plan.domains {
            let pilot = plan.onlyRecipients.first { $0.lowercased().hasSuffix("@\(domain)") }
            if !plan.onlyRecipients.isEmpty && pilot == nil { continue }
            let sample = pilot.map { String($0[..<$0.lastIndex(of: "@")!]) + "@\(domain)" } ?? "mailferry-check@\(domain)"
            let sampleLocal = String(sample[..<sample.lastIndex(of: "@")!])
            let shadow = plan.shadowDomain(for: domain)
            let copy = try query(sample, in: ourBcc)
            checks.append(Check(description: "\(sample) gets a bcc to @\(shadow)", passed: copy == "\(sampleLocal)@\(shadow)", detail: copy ?? "no result"))
            let route = try query(shadow, in: ourTransport)
            checks.append(Check(description: "\(shadow) is routed to the mirror", passed: route?.hasPrefix("smtp:[") == true, detail: route ?? "no result"))
        }
        let filter = try value("content_filter")
        let overrides = try value("receive_override_options")
        if !filter.isEmpty && !overrides.contains("no_address_mappings") {
            checks.append(Check(description: "content filter does not add the bcc twice", passed: false,
                                detail: "content_filter is set without receive_override_options=no_address_mappings before the filter (FILTER_README)"))
        }
        return checks
    }

    /// What `restore` did.
    public struct RestoreResult: Hashable, Sendable {
        /// Parameters set back (name, value) and removed (value nil).
        public var restored: [String: String?]
        /// Explicit settings that still differ from before the mirror phase (changed by
        /// someone else meanwhile): left alone, reported.
        public var differences: [String]
    }

    /// Put back the parameters from the backup, remove mailferry's maps, reload.
    public func restoreMirror(checkAndReload: Bool = true) throws -> RestoreResult {
        let directory = mailferryDirectory
        guard let backup = try PostfixBackup.load(from: directory) else {
            throw PostfixError("no mirror settings to restore: \(PostfixBackup.path(in: directory)) does not exist")
        }
        let toSet = backup.parameters.compactMap { name, value in value.map { (name, $0) } }.sorted { $0.0 < $1.0 }
        let toUnset = backup.parameters.filter { $0.value == nil }.map(\.key).sorted()
        try set(toSet)
        try unset(toUnset)
        if checkAndReload {
            try check()
            try reloadIfRunning()
        }
        let after = try explicitSettings()
        let names = Set(after.keys).union(backup.explicitSettings.keys)
        let differences = names.sorted().filter { after[$0] != backup.explicitSettings[$0] }.map { name in
            "\(name): was \(backup.explicitSettings[name].map { "\"\($0)\"" } ?? "unset"), now \(after[name].map { "\"\($0)\"" } ?? "unset")"
        }
        for name in ["recipient_bcc.regexp", "transport", "transport.db", "smtp_generic.regexp"] {
            try? FileManager.default.removeItem(atPath: "\(directory)/\(name)")
        }
        try FileManager.default.moveItem(atPath: PostfixBackup.path(in: directory),
                                         toPath: "\(directory)/backup-restored-\(Int(Date().timeIntervalSince1970)).json")
        return RestoreResult(restored: backup.parameters, differences: differences)
    }
}
