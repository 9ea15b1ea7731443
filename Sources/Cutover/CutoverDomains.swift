import Foundation
import PostfixControl

/// The domains whose mailbox store moves, and the names mailferry uses for them in the old
/// server's Postfix.
public struct CutoverDomains: Hashable, Sendable {
    /// The real domains (lower case).
    public var domains: [String]
    /// The suffix of the mirror phase's shadow domains (`postfix mirror`'s, by default).
    public var shadowSuffix: String

    public init(_ domains: [String], shadowSuffix: String = "mirror.invalid") {
        self.domains = domains.map { $0.lowercased() }
        self.shadowSuffix = shadowSuffix
    }

    /// `example.com.mirror.invalid` for each domain: the mirror copies' recipients.
    public var shadowDomains: [String] { domains.map { "\($0).\(shadowSuffix)" } }

    /// The master.cf service the held domains are routed to: pipe(8) running a command that
    /// exits EX_TEMPFAIL, so every delivery attempt (a flush included) defers.
    public static let holdService = "mailferry-hold"
    public static let holdServiceEntry =
        "\(holdService) unix - n n - - pipe flags=q user=nobody argv=/bin/sh -c {echo mailferry cutover: mail for this domain is held until the mailbox move completes; exit 75}"

    static let holdMap = "cutover-hold.regexp"
    static let transportMap = "cutover-transport.regexp"
    static let backupFile = "cutover-backup.json"

    /// The check_recipient_access table: HOLD for every recipient in the domains.
    var holdMapContent: String {
        var text = "# Written by mailferry cutover: smtpd puts mail for these domains in the hold queue.\n"
        for domain in domains {
            text += "/@\(PostfixMirrorPlan.escape(domain))$/\tHOLD mailferry cutover hold\n"
        }
        return text
    }

    /// The transport table: the domains go to `route`, mirror copies still queued are dropped.
    /// A regexp table, because Postfix asks it with the full address first: a site's
    /// `user@domain` transport entry further down the list can then never win over ours.
    func transportMapContent(route: String) -> String {
        var text = "# Written by mailferry cutover.\n"
        for domain in domains { text += "/@\(PostfixMirrorPlan.escape(domain))$/\t\(route)\n" }
        for shadow in shadowDomains {
            text += "/@\(PostfixMirrorPlan.escape(shadow))$/\tdiscard:mailferry cutover dropped a mirror copy\n"
        }
        return text
    }

    func spec(_ name: String, type: String, in directory: String) -> String { "\(type):\(directory)/\(name)" }

    /// `ours` first, then the existing value as the site wrote it. Applying twice does not
    /// add `ours` twice: a value that already starts with it is taken as the existing rest.
    static func prepend(_ ours: String, to existing: String?) -> String {
        let separators = Set(", \t\n")
        var rest = Substring((existing ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
        if rest.hasPrefix(ours), rest.dropFirst(ours.count).first.map(separators.contains) ?? true {
            rest = rest.dropFirst(ours.count).drop(while: separators.contains)
        }
        return rest.isEmpty ? ours : "\(ours), \(rest)"
    }

    /// The value without a leading `ours` (the inverse of ``prepend(_:to:)``), or nil when the
    /// value does not start with it.
    static func strip(_ ours: String, from existing: String) -> String? {
        let separators = Set(", \t\n")
        let value = Substring(existing.trimmingCharacters(in: .whitespacesAndNewlines))
        guard value.hasPrefix(ours), value.dropFirst(ours.count).first.map(separators.contains) ?? true else { return nil }
        return String(value.dropFirst(ours.count).drop(while: separators.contains))
    }
}
