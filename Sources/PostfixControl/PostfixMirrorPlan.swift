/// The old server's settings for the mirror phase (smtp-and-cutover.md §1.1):
///
/// ```
/// recipient_bcc_maps = regexp:DIR/mailferry/recipient_bcc.regexp   # user@d -> user@d.mirror.invalid
/// transport_maps     = hash:DIR/mailferry/transport, <existing>    # d.mirror.invalid -> smtp:[mirror]
/// smtp_generic_maps  = regexp:DIR/mailferry/smtp_generic.regexp, <existing>   # direct route only
/// ```
/// Since Postfix 2.3 the bcc copy behaves as NOTIFY=NONE: a copy that cannot be delivered
/// never bounces to the sender. The shadow domain ends in `.invalid` (RFC 2606), so a copy
/// can never leak to the Internet even if the transport map were lost.
public struct PostfixMirrorPlan: Hashable, Sendable {
    public enum Route: Hashable, Sendable {
        /// Through `mailferry mirror` (recommended: it tags copies and records verdicts).
        case mirror(host: String, port: Int)
        /// Straight to the new server; `smtp_generic_maps` rewrites the shadow domain to
        /// `newDomains[domain]` (or the domain itself).
        case direct(host: String, port: Int, newDomains: [String: String])
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

    public static let parameters = ["recipient_bcc_maps", "transport_maps", "smtp_generic_maps"]

    public func shadowDomain(for domain: String) -> String { "\(domain).\(shadowSuffix)" }

    public func files() -> [MapFile] {
        let header = "# Written by `mailferry postfix mirror`; removed by `mailferry postfix restore`.\n"
        var bcc = header + "# Every recipient in these domains gets a bcc copy in the shadow domain.\n"
        var transport = header + "# The shadow domains go to the mirror (or the new server), never to DNS.\n"
        var generic = header + "# Copies leave with the real (new) domain again.\n"
        let nextHop: String
        switch route {
        case .mirror(let host, let port), .direct(let host, let port, _): nextHop = "smtp:[\(host)]:\(port)"
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
            if case .direct(_, _, let newDomains) = route {
                generic += "/^(.+)@\(Self.escape(shadow))$/\t${1}@\(newDomains[domain] ?? domain)\n"
            }
        }
        var result = [MapFile(name: "recipient_bcc.regexp", type: "regexp", content: bcc),
                      MapFile(name: "transport", type: "hash", content: transport)]
        if case .direct = route { result.append(MapFile(name: "smtp_generic.regexp", type: "regexp", content: generic)) }
        return result
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
        var result = [("recipient_bcc_maps", bccSpec), ("transport_maps", combined("transport_maps", mapSpec(files[1], directory: directory)))]
        if files.count > 2 {
            result.append(("smtp_generic_maps", combined("smtp_generic_maps", mapSpec(files[2], directory: directory))))
        }
        return result
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
