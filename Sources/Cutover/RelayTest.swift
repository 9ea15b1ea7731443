import PostfixControl

/// The relay check before the hold, as messages: one attempt (its `token`) sends a test
/// message each way between the hosts, each with a null envelope sender and again with an
/// envelope sender whose SPF fails for the relaying host, all to `recipient`.
///
/// - old -> new leaves the old Postfix through its own smtp(8) to the new server's relay
///   listener, the path the switch uses: the old Postfix routes a mailferry-only address
///   (``routeAddress``, in `.invalid`, so no bcc map or real route knows it) through a
///   temporary smtp service whose `smtp_generic_maps` turns it into `recipient` on the way
///   out. The peer sees mail for `recipient`, and whatever it does with it (in the mirror
///   phase: relay it back to the old host) never meets the temporary route again.
/// - new -> old is submitted to the new Postfix for `recipient`; in the mirror phase it
///   relays the domains to the old host, and the test proves it does.
///
/// No test message can make a bounce reach anyone: the senders are null or the configured
/// SPF-failing address, and every message goes in with `NOTIFY=NEVER` (`sendmail -N never`).
public struct RelayTest: Hashable, Sendable {
    public enum Direction: String, Hashable, Sendable, CaseIterable {
        case oldToNew = "old -> new"
        case newToOld = "new -> old"

        var tag: String { self == .oldToNew ? "o2n" : "n2o" }
    }

    /// One test message.
    public struct Sample: Hashable, Sendable, CustomStringConvertible {
        public var direction: Direction
        /// The envelope sender; empty for the null sender.
        public var sender: String
        /// The address given to sendmail on the sending host.
        public var envelopeRecipient: String
        /// `<...>`, as Postfix logs it: how the logs are searched.
        public var messageID: String

        public var kind: String { sender.isEmpty ? "null sender" : "SPF-failing sender <\(sender)>" }
        public var description: String { "\(direction.rawValue), \(kind)" }
    }

    public var recipient: String
    public var spfFailSender: String
    public var relayHost: String
    public var relayPort: Int
    public var token: String

    public init(recipient: String, spfFailSender: String, relayHost: String, relayPort: Int, token: String) {
        self.recipient = recipient
        self.spfFailSender = spfFailSender
        self.relayHost = relayHost
        self.relayPort = relayPort
        self.token = token
    }

    /// The old Postfix routes only this address over the temporary service.
    public static let routeAddress = "mailferry-relay-test@mailferry.invalid"
    public static let service = "mailferry-relay-test"
    static let transportMap = "relay-test-transport.regexp"
    static let genericMap = "relay-test-generic.regexp"
    /// The header that carries the token (also in each Message-ID).
    public static let header = "X-Mailferry-Relay-Test"

    public var samples: [Sample] {
        Direction.allCases.flatMap { direction in
            [("", "null"), (spfFailSender, "spf")].map { pair in
                let (sender, kind) = pair
                return Sample(direction: direction, sender: sender,
                       envelopeRecipient: direction == .oldToNew ? Self.routeAddress : recipient,
                       messageID: "<mailferry-relay-test.\(token).\(direction.tag).\(kind)@mailferry.invalid>")
            }
        }
    }

    /// The message's bytes (LF line ends, as sendmail reads them).
    public func message(_ sample: Sample) -> [UInt8] {
        let text = """
            Message-ID: \(sample.messageID)
            From: mailferry cutover <\(recipient)>
            To: <\(recipient)>
            Subject: mailferry cutover relay test (\(sample))
            \(Self.header): \(token)
            Auto-Submitted: auto-generated
            MIME-Version: 1.0
            Content-Type: text/plain; charset=us-ascii

            mailferry cutover sent this message to test the relay between the old and the new
            mail server before the move (\(sample)). It needs no action and may be deleted.

            """
        return Array(text.utf8)
    }

    /// sendmail on the sending host: no DSN ever, the sender as given (empty: null).
    public func sendmail(_ sample: Sample, on postfix: PostfixHost) -> [String] {
        ["\(postfix.commandDirectory)/sendmail", "-C", postfix.configDirectory, "-f", sample.sender, "-N", "never", "-i", sample.envelopeRecipient]
    }

    /// The old Postfix's temporary route for ``routeAddress``: the relay listener, through an
    /// smtp service of its own that rewrites the address to `recipient`. One reload.
    public func installRoute(current: [String: String], mailferryDirectory directory: String) -> [PostfixChange] {
        let next = relayPort == 25 ? "[\(relayHost)]" : "[\(relayHost)]:\(relayPort)"
        let escaped = "/^\(PostfixMirrorPlan.escape(Self.routeAddress))$/"
        return [
            .writeMap(name: Self.transportMap, type: "regexp",
                      content: "# Written by mailferry cutover's relay test; removed after it.\n\(escaped)\t\(Self.service):\(next)\n"),
            .writeMap(name: Self.genericMap, type: "regexp",
                      content: "# Written by mailferry cutover's relay test; removed after it.\n\(escaped)\t\(recipient)\n"),
            .setService(name: Self.service, type: "unix",
                        entry: "\(Self.service) unix - - n - - smtp -o smtp_generic_maps=regexp:\(directory)/\(Self.genericMap)"),
            .setParameters([PostfixParameter("transport_maps",
                                             CutoverDomains.prepend(Self.transportSpec(directory), to: current["transport_maps"]))]),
            .reload,
        ]
    }

    /// Takes the route away again (safe to repeat, and when it was never installed).
    public static func removeRoute(current: [String: String], mailferryDirectory directory: String) -> [PostfixChange] {
        var changes: [PostfixChange] = []
        let spec = transportSpec(directory)
        if let value = current["transport_maps"], let rest = CutoverDomains.strip(spec, from: value) {
            changes.append(rest.isEmpty ? .removeParameters(["transport_maps"]) : .setParameters([PostfixParameter("transport_maps", rest)]))
        }
        changes += [
            .removeService(name: service, type: "unix"),
            .reload,
            .removeMap(name: transportMap, type: "regexp"),
            .removeMap(name: genericMap, type: "regexp"),
        ]
        return changes
    }

    /// The removal as it runs after ``installRoute(current:mailferryDirectory:)`` on `current` (the dry run).
    public func removeRouteAfterInstall(current: [String: String], mailferryDirectory directory: String) -> [PostfixChange] {
        var after = current
        after["transport_maps"] = CutoverDomains.prepend(Self.transportSpec(directory), to: current["transport_maps"])
        return Self.removeRoute(current: after, mailferryDirectory: directory)
    }

    static func transportSpec(_ directory: String) -> String { "regexp:\(directory)/\(transportMap)" }
}
