import Cutover

extension AddressCheck {
    /// The most regular users' addresses asked of the new Postfix's configuration: a host whose
    /// passwd comes from a directory may list a great many.
    static let maximumPasswdAddresses = 5000

    /// The old host's regular users that are no account (they get mail at every local domain
    /// through unix:passwd.byname) against the new Postfix's post-switch configuration: the
    /// ones it would bounce are one warning, named; the ones it accepts (an alias, a mailbox)
    /// need nothing. Nil when they could not be asked (too many, or the configuration could
    /// not be read): then ``unlistedFindings(_:passwdChecked:)`` lists them all.
    func passwdFindings(_ postSwitch: PostSwitchAddresses, found: OldPostfixAddresses.Found) async -> [PlanFinding]? {
        let addresses = found.passwdUsers.flatMap { user in found.passwdDomains.map { "\(user)@\($0)" } }
        guard !addresses.isEmpty, addresses.count <= Self.maximumPasswdAddresses,
            let verdicts = try? await postSwitch.resolve(addresses)
        else { return nil }
        var missing: [String] = []
        for address in addresses {
            switch verdicts[address] {
            case .accepted?: continue
            case .relayed?, .bounces?, nil: missing.append(address)
            }
        }
        let directory = postSwitch.postfix.configDirectory
        let accepted = addresses.count - missing.count
        guard !missing.isEmpty else {
            return [Self.finding("unix:passwd.byname", .ok,
                "the old host's \(found.passwdUsers.count) regular user\(found.passwdUsers.count == 1 ? "" : "s") that \(found.passwdUsers.count == 1 ? "is" : "are") no account: the new Postfix's post-switch configuration (\(directory)) accepts every one of their \(addresses.count) address\(addresses.count == 1 ? "" : "es")")]
        }
        let named = missing.prefix(Self.maximumNamed).joined(separator: ", ") + (missing.count > Self.maximumNamed ? " and \(missing.count - Self.maximumNamed) more" : "")
        return [Self.finding("unix:passwd.byname", .warning,
            "\(missing.count) address\(missing.count == 1 ? "" : "es") of the old host's regular users that are no account (local_recipient_maps has unix:passwd.byname) would bounce after the switch: the new Postfix's post-switch configuration (\(directory)) has no mailbox or alias for \(missing.count == 1 ? "it" : "them") (\(accepted) of \(addresses.count) it accepts): \(named)",
            action: "For each one that receives mail: add the user to the accounts (the sync copies its mailbox) or give the new server an alias for it; system users that get no mail can stay as they are.")]
    }
}
