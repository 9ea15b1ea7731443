import IMAPCodec
import MailModel
import NIOCore

extension IMAPConnection {
    /// The wire form of a Unicode mailbox name for this connection (modified UTF-7, or UTF-8
    /// after UTF8=ACCEPT).
    public func path(for name: MailboxName) -> MailboxPath { MailboxPath(name, utf8: machine.utf8Enabled) }

    /// Decodes a wire name in this connection's mode.
    public func name(of path: MailboxPath) throws -> MailboxName { try path.decoded(utf8: machine.utf8Enabled) }

    /// `NAMESPACE` (RFC 2342). Servers without it get one personal namespace with an empty
    /// prefix and the separator LIST reports for `""`.
    public func namespace() async throws -> NamespaceResponse {
        guard machine.capabilities.contains(.namespace) else {
            var separator: Character?
            try await execute(.list(reference: MailboxPath(wire: [], separator: nil), pattern: [], returnSpecialUse: false)) { event in
                if case .untagged(.list(let info)) = event { separator = info.path.separator }
            }
            return NamespaceResponse(personal: [NamespaceDescription(prefix: MailboxPath(wire: [], separator: separator))], otherUsers: [], shared: [])
        }
        var result: NamespaceResponse?
        try await execute(.namespace) { event in
            if case .untagged(.namespace(let namespace)) = event { result = namespace }
        }
        guard let result else { throw IMAPClientError(.protocolViolation("NAMESPACE completed without a NAMESPACE response")) }
        return result
    }

    /// `NAMESPACE`, `LIST "" *` and `LSUB "" *` written at once: what a sync reads first of
    /// an account, in one round trip. A server without NAMESPACE gets ``namespace()``'s
    /// answer for it, then the two listings.
    public func namespaceAndFolders() async throws -> (namespace: NamespaceResponse, folders: [MailboxInfo], subscribed: [MailboxInfo]) {
        guard machine.capabilities.contains(.namespace) else {
            return (try await namespace(), try await list(), try await listSubscribed())
        }
        var namespace: NamespaceResponse?
        var folders: [MailboxInfo] = []
        var subscribed: [MailboxInfo] = []
        let all = (reference: wirePath(""), pattern: wirePattern("*"))
        let commands: [Command] = [
            .namespace,
            .list(reference: all.reference, pattern: all.pattern, returnSpecialUse: machine.capabilities.contains(.specialUse)),
            .lsub(reference: all.reference, pattern: all.pattern),
        ]
        try await pipeline(commands, depth: commands.count) { event in
            switch event {
            case .untagged(.namespace(let value)): namespace = value
            case .untagged(.list(let info)): try collect(info, into: &folders, command: "LIST")
            case .untagged(.lsub(let info)): try collect(info, into: &subscribed, command: "LSUB")
            default: noteUnsolicited(event)
            }
        }
        guard let namespace else { throw IMAPClientError(.protocolViolation("NAMESPACE completed without a NAMESPACE response")) }
        return (namespace, folders, subscribed)
    }

    /// `LIST reference pattern`, with `RETURN (SPECIAL-USE)` when the server offers SPECIAL-USE.
    /// `pattern` is Unicode (`*` and `%` are wildcards); it is encoded for the connection.
    public func list(reference: String = "", pattern: String = "*") async throws -> [MailboxInfo] {
        let specialUse = machine.capabilities.contains(.specialUse)
        var result: [MailboxInfo] = []
        try await execute(.list(reference: wirePath(reference), pattern: wirePattern(pattern), returnSpecialUse: specialUse)) { event in
            if case .untagged(.list(let info)) = event { try collect(info, into: &result, command: "LIST") }
        }
        return result
    }

    /// `LSUB reference pattern`: the subscribed mailboxes.
    public func listSubscribed(reference: String = "", pattern: String = "*") async throws -> [MailboxInfo] {
        var result: [MailboxInfo] = []
        try await execute(.lsub(reference: wirePath(reference), pattern: wirePattern(pattern))) { event in
            if case .untagged(.lsub(let info)) = event { try collect(info, into: &result, command: "LSUB") }
        }
        return result
    }

    /// Appends one LIST/LSUB entry, refusing more than
    /// ``IMAPClientConfiguration/maximumMailboxes``. The connection is closed (the rest of
    /// the answer is still on its way), so it cannot be read as the answer to a later command.
    private func collect(_ info: MailboxInfo, into result: inout [MailboxInfo], command: String) throws {
        guard result.count < configuration.maximumMailboxes else {
            channel.close(promise: nil)
            throw IMAPClientError(.protocolViolation("\(command) returned more than \(configuration.maximumMailboxes) mailboxes"))
        }
        result.append(info)
    }

    /// `STATUS mailbox (attributes)`; SIZE and HIGHESTMODSEQ are dropped when the server
    /// does not offer them.
    public func status(_ mailbox: MailboxPath, _ attributes: [StatusAttribute] = [.messages, .uidNext, .uidValidity, .unseen]) async throws -> MailboxStatus {
        var result = MailboxStatus()
        try await execute(.status(mailbox, offeredStatusAttributes(attributes))) { event in
            if case .untagged(.status(_, let status)) = event { result = status }
        }
        return result
    }

    /// The attributes of `attributes` that the server's capabilities allow in STATUS.
    func offeredStatusAttributes(_ attributes: [StatusAttribute]) -> [StatusAttribute] {
        attributes.filter { attribute in
            switch attribute {
            case .highestModSeq: return machine.capabilities.contains(.condStore)
            case .size: return machine.capabilities.contains(Capability("STATUS=SIZE")) || machine.capabilities.contains(.imap4rev2)
            case .appendLimit: return machine.capabilities.contains(where: { $0.name == "APPENDLIMIT" })
            case .deleted: return machine.capabilities.contains(.imap4rev2)
            default: return true
            }
        }
    }

    /// `SELECT mailbox` (never EXAMINE: Courier gives a throw-away UIDVALIDITY on EXAMINE of a
    /// folder without a UID database). Asks for CONDSTORE when offered.
    @discardableResult
    public func select(_ mailbox: MailboxPath) async throws -> SelectedMailbox {
        var selected = SelectedMailbox(path: mailbox)
        let condStore = machine.capabilities.contains(.condStore)
        let response = try await execute(.select(mailbox, condStore: condStore), kind: .select(mailbox)) { selected.apply($0) }
        selected.isReadOnly = response.text.code == .readOnly
        unsolicited.removeAll()
        return selected
    }

    /// `CREATE mailbox`, with RFC 6154 `USE` when special-use attributes are given and the
    /// server offers CREATE-SPECIAL-USE (otherwise they are left out).
    public func create(_ mailbox: MailboxPath, specialUse: [MailboxAttribute] = []) async throws {
        let use = machine.capabilities.contains(.createSpecialUse) ? specialUse : []
        try await execute(.create(mailbox, specialUse: use))
    }

    public func subscribe(_ mailbox: MailboxPath) async throws { try await execute(.subscribe(mailbox)) }

    public func unsubscribe(_ mailbox: MailboxPath) async throws { try await execute(.unsubscribe(mailbox)) }

    /// `DELETE mailbox`. Only for mailboxes the caller created (tests, rollbacks).
    public func delete(_ mailbox: MailboxPath) async throws { try await execute(.delete(mailbox)) }

    /// Leaves the selected mailbox without expunging (UNSELECT, or EXAMINE-free fallback: CLOSE
    /// would expunge \Deleted messages, so without UNSELECT nothing is sent).
    public func unselect() async throws {
        guard case .selected = machine.state else { return }
        if machine.capabilities.contains(.unselect) {
            try await execute(.unselect, kind: .deselect)
        }
    }

    private func wirePath(_ text: String) -> MailboxPath {
        MailboxPath(wire: wirePattern(text), separator: nil)
    }

    private func wirePattern(_ text: String) -> [UInt8] {
        machine.utf8Enabled ? Array(text.utf8) : Array(ModifiedUTF7.encode(text).utf8)
    }
}
