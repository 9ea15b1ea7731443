extension AddressCheck {
    /// A report lists this many names of one kind at most.
    static let maximumNamed = 20

    /// What the plan could not enumerate on the old side, each a warning with what the admin
    /// must check by hand: tables that cannot be listed, a domain that accepts every local
    /// part, and the old host's regular users that are no account.
    /// With `passwdChecked`, the regular users were resolved against the new Postfix's
    /// post-switch configuration (``passwdFindings(_:found:)``) and are not listed here.
    static func unlistedFindings(_ found: OldPostfixAddresses.Found, passwdChecked: Bool = false) -> [PlanFinding] {
        var findings: [PlanFinding] = []
        for table in found.unlisted {
            var message = "\(table.parameter) = \(table.map) cannot be listed (\(table.why)), so the addresses only in it are not checked"
            if let known = table.known {
                message += "; of the config's \(table.asked) account address\(table.asked == 1 ? "" : "es") in its domains, it knows \(known) (postmap -q)"
            }
            findings.append(finding(table.map, .warning, message, action: "Check it by hand: \(table.byHand)."))
        }
        for domain in found.everyLocalPart {
            findings.append(finding("@\(domain)", .warning,
                "local_recipient_maps accepts every local part of \(domain) on the old Postfix (empty, or a static: table): it refuses no address at RCPT time and bounces unknown ones later, so no list of its addresses exists",
                action: "Find the addresses in use in the old mail log (the recipients delivered to), and give the new server each of them; an address it lacks gets a 550 after the switch."))
        }
        if !found.passwdUsers.isEmpty, !passwdChecked {
            let users = found.passwdUsers
            let named = users.prefix(maximumNamed).joined(separator: ", ") + (users.count > maximumNamed ? " and \(users.count - maximumNamed) more" : "")
            findings.append(finding("unix:passwd.byname", .warning,
                "\(users.count) regular user\(users.count == 1 ? "" : "s") (uid \(OldPostfixAddresses.firstRegularUID) and up) of the old host get\(users.count == 1 ? "s" : "") mail at every local domain (local_recipient_maps has unix:passwd.byname) but \(users.count == 1 ? "is" : "are") no account of this config: \(named)",
                action: "For each one that receives mail: add it to the accounts (the sync copies its mailbox) or give the new server an alias for it; else mail to it bounces after the switch."))
        }
        return findings
    }

    /// The end of a summary: what it does not cover, so it never claims every address.
    static func notChecked(_ found: OldPostfixAddresses.Found, passwdChecked: Bool = false) -> String {
        var parts: [String] = []
        if !found.unlisted.isEmpty { parts.append("the addresses only in the \(found.unlisted.count) table\(found.unlisted.count == 1 ? "" : "s") that cannot be listed") }
        if !found.everyLocalPart.isEmpty { parts.append("the local parts of \(found.everyLocalPart.joined(separator: ", ")), which the old Postfix accepts without a list") }
        if !found.passwdUsers.isEmpty, !passwdChecked { parts.append("the old host's \(found.passwdUsers.count) regular users that are no account") }
        return parts.isEmpty ? "" : "; not checked: " + parts.joined(separator: "; ")
    }
}
