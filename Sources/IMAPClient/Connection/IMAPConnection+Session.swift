import IMAPCodec
import Logging
import MailModel
import NIOCore

extension IMAPConnection {
    /// The server's capabilities as last announced.
    public var capabilities: Set<Capability> { machine.capabilities }

    /// The connection state (not authenticated, authenticated, selected, logged out).
    public var state: ClientStateMachine.State { machine.state }

    /// True once `ENABLE UTF8=ACCEPT` took effect: mailbox names are UTF-8 on the wire.
    public var utf8Enabled: Bool { machine.utf8Enabled }

    /// Asks for CAPABILITY and returns it.
    @discardableResult
    public func refreshCapabilities() async throws -> Set<Capability> {
        try await execute(.capability)
        return machine.capabilities
    }

    /// Upgrades with STARTTLS (RFC 3501 §6.2.1). Fails, never falls back, when the server
    /// does not offer it. Capabilities are asked for again over TLS.
    func startTLS() async throws {
        if machine.capabilities.isEmpty { try await refreshCapabilities() }
        guard machine.capabilities.contains(.startTLS) else { throw IMAPClientError(.unsupported("STARTTLS")) }
        try await execute(.startTLS, startTLS: true)
        isTLS = true
        machine.discardCapabilities()
        try await refreshCapabilities()
        logger.debug("STARTTLS done")
    }

    /// Logs in. Without TLS the password is sent only to a loopback address, unless the
    /// endpoint allows plaintext authentication explicitly. Capabilities are refreshed
    /// afterwards (servers announce more once authenticated).
    public func authenticate(_ credentials: IMAPCredentials) async throws {
        guard isTLS || endpoint.allowPlaintextAuthentication || isLoopbackPeer else {
            throw IMAPClientError(.plaintextNotAllowed)
        }
        if machine.capabilities.isEmpty { try await refreshCapabilities() }
        let response: TaggedResponse
        do {
            response = try await logIn(credentials)
        } catch let error as IMAPClientError {
            guard case .commandFailed(let command, let refusal) = error.kind else { throw error }
            throw IMAPClientError(.loginRefused(command: command, response: refusal))
        }
        if case .capability? = response.text.code {} else { try await refreshCapabilities() }
        logger.debug("authenticated", metadata: ["imap.user": "\(credentials.effectiveUser)"])
    }

    /// Sends the login; a NO or BAD to it is thrown as `commandFailed`, which ``authenticate(_:)``
    /// makes a `loginRefused`.
    private func logIn(_ credentials: IMAPCredentials) async throws -> TaggedResponse {
        switch credentials {
        case .login(let username, let password):
            guard !machine.capabilities.contains(.loginDisabled) else { throw IMAPClientError(.loginUnavailable("LOGIN (LOGINDISABLED)")) }
            return try await execute(.login(username: username, password: password), kind: .authentication)
        case .plain(let authorizationIdentity, let username, let password):
            guard machine.capabilities.contains(.auth("PLAIN")) else { throw IMAPClientError(.loginUnavailable("AUTH=PLAIN")) }
            return try await authenticatePlain(authorizationIdentity: authorizationIdentity, username: username, password: password)
        }
    }

    // authenticate = "AUTHENTICATE" SP auth-type [SP (base64 / "=")] *(CRLF base64)
    // RFC 4616: message = [authzid] UTF8NUL authcid UTF8NUL passwd
    private func authenticatePlain(authorizationIdentity: String?, username: String, password: Secret) async throws -> TaggedResponse {
        var message: [UInt8] = Array((authorizationIdentity ?? "").utf8)
        message.append(0)
        message.append(contentsOf: username.utf8)
        message.append(0)
        message.append(contentsOf: password.revealed.utf8)
        let encoded = Secret(Base64.encode(message))
        if machine.capabilities.contains(.saslIR) {
            return try await execute(.authenticate(mechanism: "PLAIN", initialResponse: encoded), kind: .authentication)
        }
        let (tag, _) = try await send(.authenticate(mechanism: "PLAIN", initialResponse: nil), kind: .authentication)
        machine.waitForContinuation(tag: tag, challenge: true)
        var answered = false
        while true {
            switch try await nextAction() {
            case .challenge(let owner, _) where owner == tag:
                // PLAIN has one step; a second challenge is answered with "*" (cancel).
                try await write(.bytes(CommandEncoder.encodeAuthenticationResponse(answered ? Secret("*") : encoded)))
                answered = true
            case .completed(let response, _, _) where response.tag == tag:
                guard response.status == .ok else { throw IMAPClientError(.commandFailed(command: "AUTHENTICATE", response: response)) }
                return response
            case .data(let event):
                noteUnsolicited(event)
            default:
                throw IMAPClientError(.protocolViolation("unexpected response during AUTHENTICATE"))
            }
        }
    }

    /// True when the peer is 127.0.0.0/8 or ::1.
    var isLoopbackPeer: Bool {
        guard let address = channel.remoteAddress else { return false }
        return IMAPConnection.isLoopback(address)
    }

    /// 127.0.0.0/8, ::1 and IPv4-mapped loopback; Unix sockets count as local.
    static func isLoopback(_ address: SocketAddress) -> Bool {
        if case .unixDomainSocket = address { return true }
        guard let ip = address.ipAddress else { return false }
        return ip.hasPrefix("127.") || ip == "::1" || ip.hasPrefix("::ffff:127.")
    }

    /// `ENABLE` (RFC 5161). Returns what the server enabled (Dovecot 2.3 enables nothing for
    /// UTF8=ACCEPT; Courier enables it and then sends UTF-8 mailbox names).
    @discardableResult
    public func enable(_ extensions: [Capability]) async throws -> Set<Capability> {
        guard machine.capabilities.contains(.enable) else { throw IMAPClientError(.unsupported("ENABLE")) }
        var enabled: Set<Capability> = []
        try await execute(.enable(extensions), kind: .enable) { event in
            if case .untagged(.enabled(let list)) = event { enabled.formUnion(list) }
        }
        return enabled
    }

    /// `ID` (RFC 2971): sends ours, returns the server's.
    public func id(_ parameters: [IDParameter] = [IDParameter(key: "name", value: "mailferry")]) async throws -> [IDParameter] {
        guard machine.capabilities.contains(.id) else { throw IMAPClientError(.unsupported("ID")) }
        var result: [IDParameter] = []
        try await execute(.id(parameters)) { event in
            if case .untagged(.id(let list)) = event { result = list }
        }
        return result
    }

    /// `NOOP`: lets the server report changes; returns what it sent, the newest
    /// ``unsolicitedLimit`` at most (a server may send any number).
    @discardableResult
    public func noop() async throws -> [ResponseEvent] {
        var events: [ResponseEvent] = []
        try await execute(.noop) { event in
            if events.count >= IMAPConnection.unsolicitedLimit { events.removeFirst(events.count / 2) }
            events.append(event)
        }
        return events
    }

    /// `LOGOUT`: the server says BYE and completes; the connection is then closed.
    public func logout() async throws {
        _ = try await send(.logout, kind: .logout)
        while true {
            switch try await nextAction() {
            case .completed(let response, .logout, _):
                guard response.status == .ok else { throw IMAPClientError(.commandFailed(command: "LOGOUT", response: response)) }
                return
            default:
                continue
            }
        }
    }
}
