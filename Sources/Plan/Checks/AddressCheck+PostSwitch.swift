import Cutover

extension AddressCheck {
    /// A local part no one uses, for the catch-all and `user+tag` questions.
    static let unusedLocalPart = "mailferry-plan-probe"

    /// The old server's addresses, their `user+tag` forms and, behind a catch-all, an unused
    /// address, against the new Postfix's post-switch configuration.
    func staged(_ postSwitch: PostSwitchAddresses, addresses: [String], found: OldPostfixAddresses.Found, passwdChecked: Bool) async -> [PlanFinding] {
        let directory = postSwitch.postfix.configDirectory
        var findings: [PlanFinding] = []
        var asked = addresses
        var tagged: [String: String] = [:]
        do {
            let newDelimiter = try await postSwitch.delimiter()
            if let mark = found.delimiter.first {
                if newDelimiter.contains(mark) {
                    for address in addresses {
                        let (user, domain) = PostSwitchAddresses.Resolver.split(address)
                        guard !user.contains(where: found.delimiter.contains) else { continue }
                        tagged["\(user)\(mark)\(Self.unusedLocalPart)@\(domain)"] = address
                    }
                    asked += tagged.keys.sorted()
                } else {
                    findings.append(Self.finding("recipient_delimiter", .blocker,
                        "the old Postfix accepts user\(mark)tag forms of every address (recipient_delimiter = \(found.delimiter)); the new Postfix's post-switch configuration (\(directory)) has recipient_delimiter = \(newDelimiter.isEmpty ? "(empty)" : newDelimiter), so mail to them would bounce",
                        action: "Set recipient_delimiter = \(found.delimiter) in \(directory)/main.cf (Dovecot's LMTP takes the same delimiter: recipient_delimiter in dovecot.conf)."))
                }
            }
            let catchAllProbes = Set(found.catchAll.map { "\(Self.unusedLocalPart)\($0.address)" })
            let verdicts = try await postSwitch.resolve(asked + catchAllProbes.sorted())
            var accepted = 0
            var refused = 0
            for address in asked {
                let origin = tagged[address].map { "the user\(found.delimiter.first!)tag form of \($0)" }
                    ?? found.addresses.first { $0.address == address }.map { "from \($0.map)" } ?? ""
                switch verdicts[address] {
                case .accepted?: accepted += 1
                case .relayed(let how)?:
                    findings.append(Self.finding(address, .warning, "the old server accepts \(address) (\(origin)); after the switch the new Postfix would relay it: \(how)",
                                                 action: "Check \(directory) is the configuration as it will be after the switch: there the domains are delivered locally."))
                case .bounces(let why)?:
                    refused += 1
                    findings.append(Self.finding(address, .blocker, "the old server accepts \(address) (\(origin)); after the switch the new Postfix would refuse or bounce it: \(why)",
                                                 action: "Create the address (mailbox, alias or canonical mapping) in \(directory) before the switch, or mail to it bounces."))
                case nil: break
                }
            }
            for entry in found.catchAll {
                if case .accepted? = verdicts["\(Self.unusedLocalPart)\(entry.address)"] {
                    findings.append(Self.finding(entry.address, .ok, "the old catch-all for \(entry.address.dropFirst()) has a counterpart: the new Postfix accepts unlisted addresses there too"))
                }
            }
            findings.append(Self.finding(domains.joined(separator: ", "), .ok,
                "\(addresses.count) addresses the old Postfix accepts\(tagged.isEmpty ? "" : " and \(tagged.count) user+tag forms") checked against the new Postfix's post-switch configuration \(directory): \(accepted) accepted\(refused == 0 ? "" : ", \(refused) refused or bounced (each a blocker of its own)")\(Self.notChecked(found, passwdChecked: passwdChecked))"))
        } catch {
            findings.append(Self.finding(directory, .blocker, "cannot read the new Postfix's post-switch configuration: \(error)",
                                         action: "Check [plan] new_postfix: the new Postfix's configuration directory as it will be after the switch."))
        }
        return findings
    }
}
