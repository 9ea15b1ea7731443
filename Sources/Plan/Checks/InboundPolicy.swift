import Foundation

/// What a Postfix smtpd listener does to mail before it accepts it, read from main.cf's
/// settings and the listener's master.cf `-o` overrides: the obstacles that mail relayed by
/// the other server meets (during the drain the old host relays to the new one, after a
/// rollback the other way). Postscreen, milters, policy services (SPF checks, greylisting)
/// and DNS block lists were made for strangers; the peer's relayed mail carries the original
/// senders, so an SPF policy rejects it and greylisting defers every message.
public struct InboundPolicy: Sendable, Equatable {
    /// The restriction lists smtpd evaluates for each message.
    public static let restrictionLists = [
        "smtpd_client_restrictions", "smtpd_helo_restrictions", "smtpd_sender_restrictions",
        "smtpd_relay_restrictions", "smtpd_recipient_restrictions", "smtpd_data_restrictions", "smtpd_end_of_data_restrictions",
    ]
    /// The main.cf settings the policy depends on.
    public static let settings = restrictionLists + ["smtpd_milters", "non_smtpd_milters"]

    /// The obstacles found, in words, each naming where it is set.
    public var obstacles: [String]

    /// The policy of the master.cf listener `service` (a line of `postconf -M`), with
    /// `mainCF` the effective main.cf values of `settings`.
    public init(mainCF: [String: String], service: String) {
        let fields = service.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        var overrides: [String: String] = [:]
        var index = 8
        while index < fields.count {
            if fields[index] == "-o", index + 1 < fields.count {
                let pair = fields[index + 1].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                if pair.count == 2 { overrides[String(pair[0])] = String(pair[1]) }
                index += 2
            } else {
                index += 1
            }
        }
        func value(_ name: String) -> (String, String) {
            if let override = overrides[name] { return (override, "\(fields.first ?? "the listener")'s -o \(name)") }
            return (mainCF[name] ?? "", name)
        }
        var found: [String] = []
        if fields.count >= 8, fields[7] == "postscreen" {
            found.append("postscreen in front of \(fields[0]) (its pregreet and DNSBL tests)")
        }
        let (milters, milterSource) = value("smtpd_milters")
        if !milters.trimmingCharacters(in: .whitespaces).isEmpty {
            found.append("milters (\(milters)) in \(milterSource)")
        }
        for list in Self.restrictionLists {
            let (text, source) = value(list)
            let items = text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
            for (position, item) in items.enumerated() {
                switch item {
                case "check_policy_service":
                    let target = position + 1 < items.count ? items[position + 1] : "?"
                    found.append("a policy service \(target) in \(source)\(Self.guessPolicy(target))")
                case "reject_rbl_client", "reject_rhsbl_client", "reject_rhsbl_sender", "reject_rhsbl_helo":
                    let target = position + 1 < items.count ? items[position + 1] : "?"
                    found.append("the DNS block list \(target) (\(item)) in \(source)")
                default:
                    continue
                }
            }
        }
        obstacles = found
    }

    /// What a policy service usually is, from its name or Debian's usual ports.
    static func guessPolicy(_ target: String) -> String {
        let lowered = target.lowercased()
        if lowered.contains("spf") { return " (SPF checks)" }
        if lowered.contains("grey") || lowered.contains("gray") || lowered.hasSuffix(":10023") { return " (greylisting, postgrey's port)" }
        return ""
    }

    /// The master.cf inet services `postconf -M` lists that listen on `port` (25 is `smtp`).
    public static func listeners(_ masterCF: String, port: Int) -> [String] {
        masterCF.split(separator: "\n").map(String.init).filter { line in
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 8, fields[1] == "inet" else { return false }
            let name = fields[0]
            let servicePort = name.split(separator: ":").last.map(String.init) ?? String(name)
            return servicePort == String(port) || (port == 25 && servicePort == "smtp")
        }
    }
}
