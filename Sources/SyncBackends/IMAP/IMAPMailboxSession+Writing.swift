import IMAPClient
import IMAPCodec
import MailModel
import NIOCore
import SyncEngine

extension IMAPMailboxSession {
    func create(_ folder: MailboxName, uidValidity: UIDValidity?) async throws {
        try await imap { try await connection.create(connection.path(for: folder)) }
    }

    func subscribe(_ folder: MailboxName) async throws {
        try await imap { try await connection.subscribe(connection.path(for: folder)) }
    }

    func subscriptions() async throws -> Set<MailboxName> {
        let listed = try await imap { try await connection.listSubscribed() }
        return Set(listed.compactMap { try? connection.name(of: $0.path) })
    }

    /// One MULTIAPPEND when the server offers it (Dovecot stores a batch in one transaction,
    /// not one per message); if the server refuses the batch, nothing of it was stored
    /// (MULTIAPPEND is all or nothing) and the messages go again one by one, pipelined, so each
    /// refusal is known per message.
    func append(_ messages: [OutgoingMessage], to folder: MailboxName) async throws -> [AppendOutcome] {
        guard !messages.isEmpty else { return [] }
        let path = connection.path(for: folder)
        if messages.count > 1, connection.capabilities.contains(.multiAppend) {
            do {
                let result = try await connection.appendAtomically(try await appendMessages(messages), to: path)
                let uids = result.uids.count == messages.count ? result.uids.map(Optional.some) : Array(repeating: nil, count: messages.count)
                return uids.map { .appended(AppendReceipt(uid: $0, uidValidity: result.uidValidity)) }
            } catch let error as IMAPClientError {
                guard case .commandFailed = error.kind else { throw StoreError(imap: error) }
            }
        }
        let results = try await imap { try await connection.append(try await appendMessages(messages), to: path) }
        return results.map { result in
            switch result {
            case .success(let appended):
                return .appended(AppendReceipt(uid: appended.uids.first, uidValidity: appended.uidValidity))
            case .failure(let error):
                return .rejected(AppendRejection(kind: Self.rejectionKind(error), text: error.description))
            }
        }
    }

    private func appendMessages(_ messages: [OutgoingMessage]) async throws -> [AppendMessage] {
        var result: [AppendMessage] = []
        result.reserveCapacity(messages.count)
        for message in messages {
            let body: AppendBody
            if let file = message.body.openFile {
                body = try AppendBody.file(descriptor: file.descriptor, size: file.size, path: file.path)
            } else {
                body = Self.appendBody(try message.body.readAll())
            }
            let flags = message.flags.filter { $0 != .recent }.sorted { $0.stringValue < $1.stringValue }
            result.append(AppendMessage(flags: flags, internalDate: message.internalDate, body: body))
        }
        return result
    }

    /// A staged message's bytes as an APPEND body, copied into buffers one piece at a time
    /// as they are sent: a batch is never held twice in memory.
    static func appendBody(_ bytes: [UInt8]) -> AppendBody {
        var offset = 0
        return AppendBody(byteCount: bytes.count) {
            guard offset < bytes.count else { return nil }
            let end = min(offset + 64 * 1024, bytes.count)
            defer { offset = end }
            return ByteBuffer(bytes: bytes[offset..<end])
        }
    }

    static func rejectionKind(_ error: IMAPClientError) -> AppendRejection.Kind {
        switch error.responseCode {
        case .overQuota?: return .overQuota
        case .limit?: return .tooBig
        default:
            let text = error.description.lowercased()
            if text.contains("quota") { return .overQuota }
            if text.contains("too big") || text.contains("too large") || text.contains("size") { return .tooBig }
            return .other
        }
    }

    func storeFlags(_ uids: [UID], adding: Set<Flag>, removing: Set<Flag>) async throws {
        guard !uids.isEmpty else { return }
        let set = UIDSet(uids)
        if !adding.isEmpty {
            try await inOpenFolder { try await connection.store(set, StoreOperation(.add, flags: adding.sorted { $0.stringValue < $1.stringValue })) }
        }
        if !removing.isEmpty {
            try await inOpenFolder { try await connection.store(set, StoreOperation(.remove, flags: removing.sorted { $0.stringValue < $1.stringValue })) }
        }
    }

    /// Marks exactly these UIDs `\Deleted` and expunges exactly them (UID EXPUNGE). Servers
    /// without UIDPLUS are refused: a plain EXPUNGE would also remove other `\Deleted` mail.
    func expunge(_ uids: [UID]) async throws {
        guard !uids.isEmpty else { return }
        guard connection.capabilities.contains(.uidPlus) else {
            throw StoreError(.other, "the destination has no UIDPLUS: refusing to expunge (EXPUNGE would remove other deleted mail too)")
        }
        let set = UIDSet(uids)
        try await inOpenFolder { try await connection.store(set, StoreOperation(.add, flags: [.deleted])) }
        try await imap { try await connection.expunge(set) }
    }
}
