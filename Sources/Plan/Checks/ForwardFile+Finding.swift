import Foundation

extension ForwardFile {
    /// Programs that deliver into the mailbox (with their own filter file): on the new
    /// server Dovecot delivers, and the filter file has a finding of its own.
    static let deliveryAgents = ["maildrop", "procmail", "dovecot-lda", "deliver"]
    /// Programs that answer the sender: a Sieve `vacation` does that on the new server.
    static let autoresponders = ["vacation", "mailbot", "autorespond", "autoreply"]

    static func program(_ command: String, in names: [String]) -> Bool {
        let words = command.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { $0.split(separator: "/").last.map(String.init) ?? "" }
        return words.contains { names.contains($0) }
    }

    /// How much the file matters to the move: a program, a file or a list on the old host
    /// is a blocker (the new server cannot run it, and that mail would silently change its
    /// way); a forward, an autoreply or a filter program is a warning (the mail lands in the
    /// new mailbox instead); keeping mail in the mailbox is ok.
    public var severity: PlanFinding.Severity {
        var worst = oddities.isEmpty ? PlanFinding.Severity.ok : .warning
        for destination in destinations {
            switch destination {
            case .keep: continue
            case .address, .localUser, .mailbox, .unclear: worst = max(worst, .warning)
            case .pipe(let command):
                let replaceable = Self.program(command, in: Self.deliveryAgents) || Self.program(command, in: Self.autoresponders)
                worst = max(worst, replaceable ? .warning : .blocker)
            case .file, .include: worst = .blocker
            }
        }
        return worst
    }

    /// What the file does, in words.
    public var summary: String {
        var forwards: [String] = []
        var parts: [String] = []
        var keeps = false
        for destination in destinations {
            switch destination {
            case .keep: keeps = true
            case .address(let address): forwards.append(address)
            case .localUser(let name): forwards.append("\(name) (a local user)")
            case .mailbox(let name): forwards.append("\(name)'s mailbox")
            case .pipe(let command):
                let kind = Self.program(command, in: Self.autoresponders) ? " (an autoreply)" : Self.program(command, in: Self.deliveryAgents) ? " (a filter program)" : ""
                parts.append("pipes it into |\(command)\(kind)")
            case .file(let path): parts.append("appends it to the file \(path)")
            case .include(let path): parts.append("sends it to the list in :include:\(path)")
            case .unclear(let text, let why): parts.append("has \(text), which needs a person (\(why))")
            }
        }
        if !forwards.isEmpty { parts.insert("forwards mail to \(forwards.joined(separator: ", "))", at: 0) }
        if omitted > 0 { parts.append("and \(omitted) more destinations") }
        if parts.isEmpty { return keeps ? "keeps mail in the mailbox only" : "lists no destination" }
        if keeps { parts.append("keeps a copy in the mailbox") }
        return parts.joined(separator: "; ")
    }

    /// A Sieve script that does the same, when every destination is a forward, the mailbox,
    /// or `|vacation user` with its `vacationMessage` (`~/.vacation.msg`); nil when a person
    /// must decide. A bare local name is completed with `domain`.
    public func sieve(domain: String?, vacationMessage: String? = nil) -> String? {
        guard omitted == 0, oddities.isEmpty else { return nil }
        var lines: [String] = []
        var vacation: String?
        var keeps = false
        for destination in destinations {
            switch destination {
            case .keep: keeps = true
            case .address(let address): lines.append("redirect \(DeliveryFilter.sieveString(address));")
            case .localUser(let name), .mailbox(let name):
                guard let domain else { return nil }
                lines.append("redirect \(DeliveryFilter.sieveString("\(name)@\(domain)"));")
            case .pipe(let command):
                guard vacation == nil, let message = vacationMessage, let action = Self.vacationAction(command: command, message: message) else { return nil }
                vacation = action
            case .file, .include, .unclear: return nil
            }
        }
        guard !lines.isEmpty || vacation != nil else { return nil }
        let head = vacation.map { ["require [\"vacation\"];", $0] } ?? []
        return (head + lines + (keeps ? ["keep;"] : [])).joined(separator: "\n")
    }

    /// What to do on the new server, for the addresses of the account (`alice@example.com`).
    public func actions(addresses: [String], path: String, vacationMessage: String? = nil) -> [String] {
        var actions: [String] = []
        let domain = addresses.first.flatMap { address in address.lastIndex(of: "@").map { String(address[address.index(after: $0)...]) } }
        var targets: [String] = []
        var keeps = false
        for destination in destinations {
            switch destination {
            case .keep: keeps = true
            case .address(let address): targets.append(address)
            case .localUser(let name), .mailbox(let name): targets.append(domain.map { "\(name)@\($0)" } ?? name)
            default: continue
            }
        }
        if !targets.isEmpty {
            // Without a migrated domain the alias names a placeholder for the admin to fill in.
            let alias = (addresses.isEmpty ? ["USER@DOMAIN"] : addresses).map { "\($0) \((targets + (keeps ? [$0] : [])).joined(separator: ", "))" }.joined(separator: "; ")
            var action = "Rebuild the forward on the new server before the switch, or its mail stays in the new mailbox: a Postfix virtual alias (virtual_alias_maps of the new Postfix): \(alias)"
            if let sieve = sieve(domain: domain, vacationMessage: vacationMessage) {
                action += ", or this Sieve script for the user (Dovecot Pigeonhole), reviewed with the user: \(sieve.replacingOccurrences(of: "\n", with: " "))"
            }
            actions.append(action)
        }
        for destination in destinations {
            switch destination {
            case .pipe(let command) where Self.program(command, in: Self.autoresponders):
                if targets.isEmpty, vacationMessage.flatMap({ Self.vacationAction(command: command, message: $0) }) != nil,
                   let sieve = sieve(domain: domain, vacationMessage: vacationMessage) {
                    actions.append("An autoreply: review this Sieve script, made from ~/.vacation.msg, with the user and install it on the new server (Dovecot Pigeonhole) before the switch: \(sieve.replacingOccurrences(of: "\n", with: " "))")
                    continue
                }
                actions.append("An autoreply: write a Sieve vacation script (require \"vacation\"; vacation :days 7 \"...\";) with the user's text (often ~/.vacation.msg), or ask the user.")
            case .pipe(let command) where Self.program(command, in: Self.deliveryAgents):
                actions.append("|\(command) filters mail into the mailbox: on the new server Dovecot delivers; translate the filter file (its own finding) into Sieve.")
            case .pipe(let command):
                actions.append("Needs a person: the new server cannot run |\(command) for this user. Keep the address on the old host (a transport from the new server to it) or rebuild the program on the new host (for example Pigeonhole's extprograms \"pipe\") before the switch.")
            case .file(let path):
                actions.append("Mail is appended to \(path) on the old host: decide where it goes after the switch (a Sieve fileinto a folder, or the same file on the new host) before the switch.")
            case .include(let path):
                actions.append("The list in \(path) lives on the old host: put its addresses into a Postfix virtual alias on the new server before the switch.")
            case .unclear:
                actions.append("Needs a person: read \(path) and decide what the new server should do with this user's mail.")
            default: continue
            }
        }
        if !oddities.isEmpty && !destinations.contains(where: { if case .unclear = $0 { true } else { false } }) {
            actions.append("Needs a person: read \(path) by hand (\(oddities.joined(separator: "; "))).")
        }
        return actions
    }
}
