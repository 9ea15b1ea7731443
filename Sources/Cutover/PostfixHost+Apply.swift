import Foundation
import PostfixControl

/// What applying a plan did.
public struct PlanOutcome: Hashable, Sendable {
    /// How long each `postfix reload` took.
    public var reloads: [Duration] = []
    /// Messages released from the hold queue.
    public var released: [String] = []
    /// Messages tried at once with `postqueue -i` (released ones included).
    public var retried: [String] = []
}

extension PostfixHost {
    /// Applies `plan`: first the backup (taken by the hold, completed by later plans with any
    /// setting they touch for the first time), then each change in order. Every change sets a
    /// value rather than toggling one, so applying a plan again after a crash or a lost SSH
    /// session ends in the same state; the first backup is kept.
    @discardableResult
    public func apply(_ plan: PostfixPlan, now: Double = Date().timeIntervalSince1970) async throws -> PlanOutcome {
        try await host.check(["/bin/mkdir", "-p", "-m", "0755", mailferryDirectory])
        var backup = try await updatedBackup(for: plan, now: now)
        var outcome = PlanOutcome()
        for change in plan.changes {
            try await perform(change, heldBefore: Set(backup.heldBefore), outcome: &outcome)
        }
        if plan.kind == .restore {
            // The instance is as before the cutover: set the backup aside so a new hold starts
            // from what is there now, and keep it for the record.
            backup.postfix.createdAt = now
            try await saveBackup(backup, to: "\(mailferryDirectory)/cutover-backup-restored-\(Int(now)).json")
            try await host.removeFile(backupPath)
        }
        return outcome
    }

    func updatedBackup(for plan: PostfixPlan, now: Double) async throws -> CutoverBackup {
        let existing = try await cutoverBackup()
        guard existing != nil || plan.kind == .hold else {
            throw CutoverError.unsafeConfiguration(
                "no cutover backup in \(backupPath): the \(plan.kind.rawValue) step needs the hold's backup (apply the hold first)")
        }
        let current = try await explicitSettings()
        var backup: CutoverBackup
        if let existing {
            backup = existing
        } else {
            backup = CutoverBackup(
                postfix: PostfixBackup(createdAt: now, parameters: [:], explicitSettings: current), services: [:],
                heldBefore: try await queue().filter { $0.queueName == "hold" }.map(\.queueID).sorted())
        }
        var changed = existing == nil
        for name in plan.parameterNames where !backup.postfix.parameters.keys.contains(name) {
            backup.postfix.parameters[name] = .some(current[name])
            changed = true
        }
        for service in plan.serviceNames where !backup.services.keys.contains(service) {
            let parts = service.split(separator: "/", maxSplits: 1).map(String.init)
            backup.services[service] = .some(try await self.service(parts[0], type: parts[1]))
            changed = true
        }
        if changed { try await saveBackup(backup, to: backupPath) }
        return backup
    }

    func perform(_ change: PostfixChange, heldBefore: Set<String>, outcome: inout PlanOutcome) async throws {
        let directory = mailferryDirectory
        switch change {
        case .writeMap(let name, let type, let content):
            try await host.writeFile("\(directory)/\(name)", Array(content.utf8), permissions: 0o644)
            if type == "hash" { try await host.check(command("postmap", ["\(type):\(directory)/\(name)"])) }
        case .removeMap(let name, let type):
            try await host.removeFile("\(directory)/\(name)")
            if type == "hash" { try await host.removeFile("\(directory)/\(name).db") }
        case .setParameters(let parameters):
            try await host.check(editMainCFArgv(["-e"] + parameters.map { "\($0.name)=\($0.value)" }))
        case .removeParameters(let names):
            try await host.check(editMainCFArgv(["-X"] + names))
        case .setService(let name, let type, let entry):
            try await host.check(command("postconf", ["-M", "\(name)/\(type)=\(entry)"]))
        case .removeService(let name, let type):
            if try await service(name, type: type) != nil {
                try await host.check(command("postconf", ["-MX", "\(name)/\(type)"]))
            }
        case .reload:
            if try await isRunning() { outcome.reloads.append(try await reload()) }
        case .deliverQueued(let domains):
            let ids = try await queue().filter { $0.queueName == "deferred" && $0.hasRecipient(in: Set(domains)) }.map(\.queueID)
            try await deliverNow(ids)
            outcome.retried += ids
        case .releaseHeld(let domains):
            let ids = try await queue()
                .filter { $0.queueName == "hold" && !heldBefore.contains($0.queueID) && $0.hasRecipient(in: Set(domains)) }
                .map(\.queueID)
            try await releaseFromHold(ids)
            try await deliverNow(ids)
            outcome.released += ids
            outcome.retried += ids
        }
    }

    /// `postconf -e` or `-X` with `arguments`, as one command: over ssh one round trip, not
    /// one per part, inside the freeze. Its parts, in order, each stopping the rest when it fails:
    /// - main.cf's owner, group and mode are read (postconf writes main.cf anew, root's with
    ///   mode 0644 whatever the file was, and they are put back at the end: an admin's 0640
    ///   root:postfix main.cf stays so);
    /// - before `-e`, a final newline is appended in place when the file lacks one
    ///   (``PostfixInstance/mainCFTerminated(_:)`` says why): one byte in one write;
    /// - postconf; then chown and chmod;
    /// - main.cf's modification time is set two seconds back. Every Postfix program (postconf,
    ///   `postfix reload` and `status`, the master on SIGHUP, each daemon the master starts)
    ///   reads main.cf as a "hot" file until its time is two whole seconds before the read
    ///   began: it reads it again and again until then, so a half-written file from an editor
    ///   is never taken. Right after a change, the next Postfix command and every smtpd started
    ///   meanwhile would wait up to 2 s, inside the freeze. mailferry's writes are never
    ///   half-written (postconf writes main.cf.tmp, fsyncs it and renames it over main.cf; the
    ///   newline is one byte appended to a whole file), so the wait guards nothing here. The
    ///   time is the host's own clock, which Postfix compares with.
    /// Every value reaches the script as a positional parameter, never inside its text, so a
    /// path with spaces or quotes stays one word through ssh's remote shell and this one.
    func editMainCFArgv(_ arguments: [String]) -> [String] {
        ["/bin/sh", "-c", Self.editMainCFScript, "sh", "\(configDirectory)/main.cf", arguments.first == "-e" ? "terminate" : "keep"]
            + command("postconf", arguments)
    }

    /// `$1` main.cf, `$2` `terminate` or `keep`, then postconf's argv; one line, so the dry
    /// run shows it as one. `$(tail -c 1)` is empty exactly when the last byte is a newline
    /// (the substitution drops it).
    static let editMainCFScript = #"f=$1 newline=$2; shift 2; kept=$(/usr/bin/stat -c '%u:%g %a' -- "$f") || exit; "#
        + #"if [ "$newline" = terminate ] && [ -s "$f" ] && [ -n "$(tail -c 1 -- "$f")" ]; then printf '\n' >> "$f" || exit; fi; "#
        + #""$@" || exit; chown -- "${kept% *}" "$f" && chmod -- "${kept#* }" "$f" && /usr/bin/touch -m -d '2 seconds ago' -- "$f""#

    func saveBackup(_ backup: CutoverBackup, to path: String) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try await host.writeFile(path, [UInt8](try encoder.encode(backup)), permissions: 0o600)
    }
}
