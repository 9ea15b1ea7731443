/// The client side of one IMAP connection as a value: connection state, command tags,
/// which command owns the next continuation request, and the capabilities and extensions
/// in force. It does no I/O: the connection tells it what was sent and received, and it
/// answers with an ``Action`` or throws ``ProtocolViolation`` when the server misbehaves.
///
/// Misuse by the caller (two commands waiting for a continuation at once, a tag reused) is
/// a programming error and traps.
public struct ClientStateMachine: Sendable {
    public enum State: Hashable, Sendable {
        case awaitingGreeting
        case notAuthenticated
        case authenticated
        case selected(MailboxPath)
        /// BYE received or LOGOUT completed: no further commands.
        case loggedOut
    }

    /// What a command does to the connection state when it completes.
    public enum CommandKind: Hashable, Sendable {
        case authentication
        case select(MailboxPath)
        case deselect
        case logout
        case enable
        case other
    }

    /// What the connection should do with a received event.
    public enum Action: Hashable, Sendable {
        /// Data for the running operation (untagged responses, FETCH events).
        case data(ResponseEvent)
        /// The command with this tag may send its next chunk.
        case sendNextChunk(tag: String)
        /// A continuation request for a command that asked for one without a literal
        /// (AUTHENTICATE): answer with a line.
        case challenge(tag: String, text: String)
        /// A command completed. `interruptedLiteral` is true when the server answered
        /// before accepting the literal the command was waiting to send.
        case completed(TaggedResponse, kind: CommandKind, interruptedLiteral: Bool)
        /// The server said BYE; it will close the connection.
        case bye(ResponseText)
    }

    /// The server broke the protocol; the connection cannot continue.
    public struct ProtocolViolation: Error, Hashable, Sendable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    public private(set) var state: State = .awaitingGreeting
    /// The capabilities last announced (greeting code, CAPABILITY response, or OK code).
    public private(set) var capabilities: Set<Capability> = []
    /// Extensions the server confirmed with `* ENABLED`.
    public private(set) var enabled: Set<Capability> = []
    private var nextTagNumber = 1
    private var inFlight: [String: CommandKind] = [:]
    /// The command that sent a literal header or AUTHENTICATE and waits for `+`.
    private var continuationOwner: (tag: String, isChallenge: Bool)?

    public init() {}

    /// Commands sent and not yet completed.
    public var commandsInFlight: Int { inFlight.count }

    /// UTF8=ACCEPT is in force: mailbox names are UTF-8 on the wire.
    public var utf8Enabled: Bool { enabled.contains(.utf8Accept) }

    /// How to encode commands for this server now.
    public var encodingOptions: CommandEncodingOptions {
        CommandEncodingOptions(capabilities: capabilities, utf8Accepted: utf8Enabled)
    }

    /// Handles the first response. Returns the greeting's status (`.ok` or `.preauth`);
    /// throws for BYE or anything else.
    public mutating func receiveGreeting(_ event: ResponseEvent) throws(ProtocolViolation) -> ResponseStatus {
        guard state == .awaitingGreeting else { preconditionFailure("greeting already received") }
        guard case .greeting(let status, let text) = event else { throw ProtocolViolation("no greeting") }
        noteCode(text.code)
        switch status {
        case .ok: state = .notAuthenticated
        case .preauth: state = .authenticated
        default:
            state = .loggedOut
            throw ProtocolViolation("the server refused the connection: \(text.text)")
        }
        return status
    }

    /// Forgets the capabilities (after STARTTLS they must be asked for again, RFC 3501 §6.2.1).
    public mutating func discardCapabilities() { capabilities = [] }

    /// Registers a new command and returns its tag (`A1`, `A2`, ...).
    public mutating func startCommand(_ kind: CommandKind) -> String {
        precondition(state != .awaitingGreeting && state != .loggedOut, "no commands before the greeting or after logout")
        let tag = "A\(nextTagNumber)"
        nextTagNumber += 1
        inFlight[tag] = kind
        return tag
    }

    /// The command `tag` wrote a chunk that ends in a synchronizing literal header (or, with
    /// `challenge`, an AUTHENTICATE that expects challenges) and waits for `+`.
    public mutating func waitForContinuation(tag: String, challenge: Bool = false) {
        precondition(continuationOwner == nil, "only one command at a time may wait for a continuation")
        precondition(inFlight[tag] != nil, "unknown tag")
        continuationOwner = (tag, challenge)
    }

    /// Handles one response after the greeting.
    public mutating func receive(_ event: ResponseEvent) throws(ProtocolViolation) -> Action {
        switch event {
        case .greeting:
            throw ProtocolViolation("a second greeting")
        case .continuation(let text):
            guard let owner = continuationOwner else { throw ProtocolViolation("a continuation request nobody asked for") }
            if owner.isChallenge { return .challenge(tag: owner.tag, text: text) }
            continuationOwner = nil
            return .sendNextChunk(tag: owner.tag)
        case .tagged(let response):
            guard let kind = inFlight.removeValue(forKey: response.tag) else {
                throw ProtocolViolation("a completion for a command that was not sent")
            }
            var interrupted = false
            if continuationOwner?.tag == response.tag {
                interrupted = !(continuationOwner?.isChallenge ?? false)
                continuationOwner = nil
            }
            noteCode(response.text.code)
            complete(kind, status: response.status)
            return .completed(response, kind: kind, interruptedLiteral: interrupted)
        case .untagged(.condition(.bye, let text)):
            state = .loggedOut
            return .bye(text)
        case .untagged(.condition(_, let text)):
            noteCode(text.code)
            return .data(event)
        case .untagged(.capability(let list)):
            capabilities = Set(list)
            return .data(event)
        case .untagged(.enabled(let list)):
            enabled.formUnion(list)
            return .data(event)
        case .untagged, .fetch:
            return .data(event)
        }
    }

    private mutating func noteCode(_ code: ResponseCode?) {
        if case .capability(let list)? = code { capabilities = Set(list) }
    }

    private mutating func complete(_ kind: CommandKind, status: ResponseStatus) {
        switch kind {
        case .authentication where status == .ok:
            state = .authenticated
        case .select(let mailbox):
            // RFC 3501 §6.3.1: a failed SELECT leaves no mailbox selected.
            if state != .notAuthenticated { state = status == .ok ? .selected(mailbox) : .authenticated }
        case .deselect where status == .ok:
            state = .authenticated
        case .logout where status == .ok:
            state = .loggedOut
        case .authentication, .deselect, .logout, .enable, .other:
            break
        }
    }
}
