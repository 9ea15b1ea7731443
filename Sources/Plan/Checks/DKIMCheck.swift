import Cutover
import DNSCodec
import Foundation

/// DKIM across the move: which selectors publish keys for each domain, and whether the new
/// server signs. Mail the new server sends unsigned fails DKIM where the old server's passed,
/// and under a DMARC policy receivers reject or quarantine it. The selectors come from the old
/// host's OpenDKIM configuration when it can be read, else from the names most setups use.
public struct DKIMCheck: Sendable {
    public var lookup: AuthoritativeLookup
    public var domains: [DNSName]
    /// The old host and its OpenDKIM configuration file.
    public var old: (any Cutover.Host)?
    public var oldConfig = "/etc/opendkim.conf"
    /// The new Postfix, whose milters would sign.
    public var newPostfix: PostfixHost?

    /// Tried when the old host's OpenDKIM configuration names none.
    public static let commonSelectors = ["default", "mail", "dkim", "selector1", "selector2", "s1", "s2", "k1", "smtp", "key1"]

    public init(lookup: AuthoritativeLookup, domains: [DNSName], old: (any Cutover.Host)?, newPostfix: PostfixHost?) {
        self.lookup = lookup
        self.domains = domains
        self.old = old
        self.newPostfix = newPostfix
    }

    public struct Result: Sendable {
        public var findings: [PlanFinding] = []
        public var records: [PlanRecord] = []
    }

    public func run() async -> Result {
        var result = Result()
        let configured = await oldSelectors()
        let selectors = configured.isEmpty ? Self.commonSelectors : configured
        let source = configured.isEmpty ? "the common selectors \(Self.commonSelectors.joined(separator: ", "))" : "the old host's OpenDKIM selectors"
        let signer = await newSigner()
        for domain in domains {
            var found: [String] = []
            for selector in selectors {
                guard let name = try? domain.prepending("\(selector)._domainkey"), let answer = try? await lookup.query(name, .txt) else { continue }
                let keys = answer.records.filter { Self.isKey($0.data.text ?? "") }
                guard !keys.isEmpty else { continue }
                found.append(selector)
                result.records += keys.map {
                    PlanRecord(name: $0.name.description, type: $0.type.description, value: DNSCheck.text($0.data), ttl: $0.ttl, role: "dkim", pointsToOld: false)
                }
            }
            result.findings.append(Self.finding(domain.description, found: found, tried: source, configured: configured, signer: signer))
        }
        return result
    }

    static func finding(_ domain: String, found: [String], tried: String, configured: [String], signer: String?) -> PlanFinding {
        let missing = configured.filter { !found.contains($0) }
        if !missing.isEmpty {
            return PlanFinding(area: "dkim", subject: domain, severity: .warning,
                               message: "the old host's OpenDKIM signs with selector \(missing.joined(separator: ", ")), but \(domain) publishes no key for it",
                               action: "Publish the key, or check the old host's KeyTable: receivers cannot verify that signature.")
        }
        guard !found.isEmpty else {
            return PlanFinding(area: "dkim", subject: domain, severity: .ok, message: "no DKIM key found for \(domain) at \(tried): no signing to move")
        }
        let keys = found.map { "\($0)._domainkey.\(domain)" }.joined(separator: ", ")
        guard let signer else {
            return PlanFinding(area: "dkim", subject: domain, severity: .warning,
                               message: "\(domain) publishes DKIM keys (\(keys)), and the new Postfix has no signing milter: mail the new server sends would go out unsigned and fail DMARC",
                               action: "Before the switch, run OpenDKIM (or rspamd) on the new host with the old private key and selector (the DNS record stays valid), or with a new selector whose key is published days ahead; add it to smtpd_milters and non_smtpd_milters.")
        }
        return PlanFinding(area: "dkim", subject: domain, severity: .ok,
                           message: "\(domain) publishes DKIM keys (\(keys)); the new Postfix has a signing milter (\(signer)): make sure it signs \(domain) with one of these keys")
    }

    /// Whether a TXT record is a DKIM key record (RFC 6376 3.6.1: `v=DKIM1` first, or `p=`).
    static func isKey(_ text: String) -> Bool {
        let tags = text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        return tags.first == "v=dkim1" || tags.contains { $0.hasPrefix("p=") }
    }

    /// The selectors of the old host's OpenDKIM: its `Selector` setting and the selectors of
    /// its KeyTable (`name domain:selector:keyfile` lines). Empty when it cannot be read.
    func oldSelectors() async -> [String] {
        guard let old, let bytes = try? await old.readFile(oldConfig) else { return [] }
        let settings = Self.settings(String(decoding: bytes, as: UTF8.self))
        var selectors = settings["selector"].map { [$0] } ?? []
        if let table = settings["keytable"], !table.contains("dsn:"), !table.contains("ldap") {
            let path = table.hasPrefix("file:") || table.hasPrefix("refile:") ? String(table.drop { $0 != ":" }.dropFirst()) : table
            if path.hasPrefix("/"), let bytes = try? await old.readFile(path) {
                selectors += Self.keyTableSelectors(String(decoding: bytes, as: UTF8.self))
            }
        }
        var seen = Set<String>()
        return selectors.filter { seen.insert($0).inserted }
    }

    /// opendkim.conf(5): `Name value` lines, `#` comments; names are case-insensitive.
    static func settings(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = content.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2 else { continue }
            result[fields[0].lowercased()] = String(fields[1])
        }
        return result
    }

    static func keyTableSelectors(_ text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, !fields[0].hasPrefix("#") else { return nil }
            let parts = fields[1].split(separator: ":", omittingEmptySubsequences: false)
            return parts.count >= 3 && !parts[1].isEmpty ? String(parts[1]) : nil
        }
    }

    /// The new Postfix's milter that signs (OpenDKIM's usual socket or port 8891, rspamd's
    /// 11332), or nil.
    func newSigner() async -> String? {
        guard let newPostfix else { return nil }
        let milters = [(try? await newPostfix.value("smtpd_milters")) ?? "", (try? await newPostfix.value("non_smtpd_milters")) ?? ""]
        return Self.signingMilter(milters.joined(separator: " "))
    }

    static func signingMilter(_ milters: String) -> String? {
        milters.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }).map(String.init).first { milter in
            let lowered = milter.lowercased()
            return lowered.contains("dkim") || lowered.hasSuffix(":8891") || lowered.contains("rspamd") || lowered.hasSuffix(":11332")
        }
    }
}
