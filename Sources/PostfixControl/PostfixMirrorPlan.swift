/// The old server's settings for the mirror phase (smtp-and-cutover.md §1.1):
///
/// ```
/// recipient_bcc_maps = regexp:DIR/mailferry/recipient_bcc.regexp   # user@d -> user@d.mirror.invalid
/// transport_maps     = hash:DIR/mailferry/transport, <existing>    # d.mirror.invalid -> smtp:[mirror]
/// ```
/// Since Postfix 2.3 the bcc copy behaves as NOTIFY=NONE: a copy that cannot be delivered
/// never bounces to the sender. The shadow domain ends in `.invalid` (RFC 2606), so a copy
/// can never leak to the Internet even if the transport map were lost.
///
/// Copies always go through the mirror: only the mirror can tag them with a MAC that
/// `mirror purge` verifies (a header Postfix prepends would be the same forgeable text on
/// every copy), and only the mirror relays them with its own envelope sender. The new
/// server needs one setting of its own for late failures to come back to the mirror
/// (`newServerTransport`).
public struct PostfixMirrorPlan: Hashable, Sendable {
    public enum Route: Hashable, Sendable {
        /// Through `mailferry mirror`, which tags copies and records the verdicts.
        case mirror(host: String, port: Int)
    }

    public struct MapFile: Hashable, Sendable {
        /// File name inside the mailferry directory.
        public var name: String
        /// `regexp` or `hash`.
        public var type: String
        public var content: String
    }

    /// The real domains whose mail is copied.
    public var domains: [String]
    /// When not empty, only these recipients are copied (a pilot group); otherwise every
    /// recipient in `domains`.
    public var onlyRecipients: [String] = []
    public var shadowSuffix: String
    public var route: Route

    public init(domains: [String], shadowSuffix: String = "mirror.invalid", route: Route) {
        self.domains = domains.map { $0.lowercased() }
        self.shadowSuffix = shadowSuffix
        self.route = route
    }

    public static let parameters = ["recipient_bcc_maps", "transport_maps"]

    public func shadowDomain(for domain: String) -> String { "\(domain).\(shadowSuffix)" }

    public func files() -> [MapFile] {
        let header = "# Written by `mailferry postfix mirror`; removed by `mailferry postfix restore`.\n"
        var bcc = header + "# Every recipient in these domains gets a bcc copy in the shadow domain.\n"
        var transport = header + "# The shadow domains go to the mirror, never to DNS.\n"
        let nextHop: String
        switch route {
        case .mirror(let host, let port): nextHop = "smtp:[\(host)]:\(port)"
        }
        for domain in domains {
            let shadow = shadowDomain(for: domain)
            let locals = onlyRecipients.compactMap { address -> String? in
                guard let at = address.lastIndex(of: "@"), address[address.index(after: at)...].lowercased() == domain else { return nil }
                return Self.escape(String(address[..<at]))
            }
            if onlyRecipients.isEmpty {
                bcc += "/^(.+)@\(Self.escape(domain))$/\t${1}@\(shadow)\n"
            } else if !locals.isEmpty {
                bcc += "/^(\(locals.joined(separator: "|")))@\(Self.escape(domain))$/\t${1}@\(shadow)\n"
            }
            transport += "\(shadow)\t\(nextHop)\n"
        }
        return [MapFile(name: "recipient_bcc.regexp", type: "regexp", content: bcc),
                MapFile(name: "transport", type: "hash", content: transport)]
    }

    /// The `transport_maps` entry the NEW server needs so that a notification about a copy it
    /// accepted and could not deliver later (over quota, unknown at LMTP) reaches the mirror's
    /// bounce address (`[destination] bounce_address`) and its report, instead of being
    /// dropped as undeliverable: `<bounce domain> smtp:[HOST]:PORT`, where HOST:PORT is the
    /// mirror as the new server reaches it. With it, set `notify = "failure"` in the mirror's
    /// `[destination]`; without it, keep `notify = "never"`.
    public static func newServerTransport(bounceDomain: String, mirrorHost: String, mirrorPort: Int) -> String {
        "\(bounceDomain.lowercased())\tsmtp:[\(mirrorHost)]:\(mirrorPort)"
    }

    /// `type:path` of a map file.
    public func mapSpec(_ file: MapFile, directory: String) -> String { "\(file.type):\(directory)/\(file.name)" }

    /// The new parameter values, given the current explicit ones. Our maps come first;
    /// existing maps are kept after them. Refuses an existing recipient_bcc_maps (a bcc map
    /// returns one result, so ours would silently replace the site's).
    public func settings(current: [String: String], directory: String) throws -> [(String, String)] {
        let files = files()
        func combined(_ parameter: String, _ ours: String) -> String {
            let existing = (current[parameter] ?? "").trimmingCharacters(in: " \t")
            let kept = existing.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init).filter { $0 != ours && !$0.isEmpty }
            return ([ours] + kept).joined(separator: ", ")
        }
        let bccSpec = mapSpec(files[0], directory: directory)
        if let existing = current["recipient_bcc_maps"], !existing.isEmpty, existing != bccSpec {
            throw PostfixError("recipient_bcc_maps is already set (\(existing)); mailferry will not replace a site's bcc map. Merge it by hand or remove it first.")
        }
        return [("recipient_bcc_maps", bccSpec), ("transport_maps", combined("transport_maps", mapSpec(files[1], directory: directory)))]
    }

    /// A regular expression matching `text` literally.
    public static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            if "\\^$.|?*+()[]{}/".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        let characters = Set(set)
        return String(drop { characters.contains($0) }.reversed().drop { characters.contains($0) }.reversed())
    }
}
