import Cutover
import PostfixControl
import SMTPCodec

/// The addresses part of `mailferry plan`: every address the old Postfix accepts for the
/// domains, checked against the new Postfix's post-switch configuration (`postSwitch`), else
/// asked of the new server with RCPT (`probe`); the ones it would refuse are the classic
/// bounces after a move.
public struct AddressCheck: Sendable {
    public var old: OldPostfixAddresses
    public var probe: RecipientProbe?
    public var postSwitch: PostSwitchAddresses?
    public var domains: [String]
    /// The accounts: local users of the old host, whose addresses it accepts.
    public var accounts: [String]

    public init(old: OldPostfixAddresses, probe: RecipientProbe? = nil, postSwitch: PostSwitchAddresses? = nil, domains: [String],
                accounts: [String] = []) {
        self.old = old
        self.probe = probe
        self.postSwitch = postSwitch
        self.domains = domains
        self.accounts = accounts
    }

    public func run() async -> [PlanFinding] {
        func finding(_ subject: String, _ severity: PlanFinding.Severity, _ message: String, action: String? = nil) -> PlanFinding {
            PlanFinding(area: "addresses", subject: subject, severity: severity, message: message, action: action)
        }
        let found: OldPostfixAddresses.Found
        do {
            found = try await old.addresses(for: domains, accounts: accounts)
        } catch {
            return [finding(old.postfix.configDirectory, .blocker, "cannot read the old Postfix's maps on \(old.postfix.host.name): \(error)",
                            action: "Check [plan] old_postfix (the old Postfix's configuration directory) and old_host (where it runs).")]
        }
        var findings: [PlanFinding] = []
        var passwd: [PlanFinding]?
        if let postSwitch, !found.passwdUsers.isEmpty { passwd = await passwdFindings(postSwitch, found: found) }
        let passwdChecked = passwd != nil
        findings += Self.unlistedFindings(found, passwdChecked: passwdChecked) + (passwd ?? [])
        for entry in found.local {
            findings.append(finding(entry.address, .blocker, "\(entry.map) delivers \(entry.address) to \(entry.target), which only the old host can run",
                                    action: "Keep this address on the old host (a transport to it from the new server) or rebuild it on the new one (a Mailman list, an archive) before the switch."))
        }
        for entry in found.catchAll {
            findings.append(finding(entry.address, .warning, "\(entry.map) accepts every address of \(entry.address.dropFirst()) (catch-all to \(entry.target))",
                                    action: "Give the new server the same catch-all, or senders to unlisted addresses bounce after the switch."))
        }
        let addresses = Array(Set(found.addresses.filter { !found.local.contains($0) }.map(\.address))).sorted()
        guard !addresses.isEmpty else {
            findings.append(finding(domains.joined(separator: ", "), .ok, "the old Postfix's maps list no address of these domains\(Self.notChecked(found, passwdChecked: passwdChecked))"))
            return findings
        }
        if let postSwitch { return findings + (await staged(postSwitch, addresses: addresses, found: found, passwdChecked: passwdChecked)) }
        guard let probe else { return findings }
        let replies: [(address: String, reply: SMTPReplyText)]
        do {
            replies = try await probe.probe(addresses).map { ($0.address, SMTPReplyText(code: $0.reply.code, text: $0.reply.description)) }
        } catch {
            findings.append(finding("\(probe.host):\(probe.port)", .blocker, "cannot ask the new server about \(addresses.count) addresses: \(error)",
                                    action: "Check [plan] new_smtp: the new server's SMTP listener."))
            return findings
        }
        var accepted = 0
        var refused = 0
        for (address, reply) in replies {
            switch reply.code / 100 {
            case 2: accepted += 1
            case 5:
                refused += 1
                findings.append(finding(address, .blocker, "the old server accepts \(address), the new server refuses it: \(reply.text)",
                                        action: "Create the address (mailbox or alias) on the new server before the switch, or mail to it bounces."))
            default:
                findings.append(finding(address, .warning, "the new server answered \(reply.text) for \(address)",
                                        action: "Run the plan again; a greylisting or policy service may answer 4xx at first."))
            }
        }
        findings.append(finding(domains.joined(separator: ", "), .ok,
                                "\(addresses.count) addresses from the old Postfix's maps asked of the new server: \(accepted) accepted\(refused == 0 ? "" : ", \(refused) refused (each a blocker of its own)")\(Self.notChecked(found))"))
        return findings
    }

    static func finding(_ subject: String, _ severity: PlanFinding.Severity, _ message: String, action: String? = nil) -> PlanFinding {
        PlanFinding(area: "addresses", subject: subject, severity: severity, message: message, action: action)
    }
}

/// An SMTP reply reduced to what a finding shows.
struct SMTPReplyText: Sendable {
    var code: Int
    var text: String
}
