import Glibc
import Logging
import MailModel
import Maildir
import SyncEngine

extension DovecotMaildirSession {
    func create(_ name: MailboxName, uidValidity: UIDValidity?) async throws {
        try await io { _ = try self.openFolder(name, create: true) }
    }

    /// Take the source folder's UIDVALIDITY and next UID. A folder that holds messages under
    /// another UIDVALIDITY is refused unless ``DovecotMaildirStore/Options/overwriteUIDValidity``;
    /// an empty one simply takes the source's (no client can have cached anything of it), and
    /// so does one that holds only the mirror's verified copies (``MirrorCopies``), whose
    /// copies are numbered above the reserve. For INBOX, the POP3 identities the source
    /// published are written for messages already there (a POP3 client may have given them
    /// their UIDL since they were copied).
    func adoptIdentity(of source: FolderStatus, for name: MailboxName) async throws -> IdentityAdoption {
        try await io {
            let folder = try self.openFolder(name, create: true)
            var next = UID(source.uidNext) ?? UID(exactly: 1)
            if let copies = self.store.mirrorCopies { next = copies.reservedNext(after: next) }
            let isEmpty = folder.messages().isEmpty && folder.recordsWithoutFiles().isEmpty
            var adopted: [DovecotMessage]?
            if !isEmpty, !self.store.options.overwriteUIDValidity, let copies = self.store.mirrorCopies,
                let validity = folder.uidValidity, validity != source.uidValidity
            {
                adopted = try self.onlyMirrorCopies(folder, copies)
            }
            do {
                try folder.setIdentity(
                    uidValidity: source.uidValidity, nextUID: next,
                    allowingChange: self.store.options.overwriteUIDValidity || isEmpty || adopted != nil)
                if let adopted { try self.renumber(adopted, in: folder, from: next, sourceValidity: source.uidValidity) }
            } catch {
                guard let error = error as? MaildirError, error.kind == .uidValidityMismatch else { throw error }
                throw StoreError(
                    .folder, "\(name): \(error.detail) (--overwrite-uidvalidity replaces them; clients then download this folder again)")
            }
            if folder.levels.isEmpty, let identities = self.store.pop3Board?.identities(inboxValidity: source.uidValidity) {
                for message in folder.messages() {
                    guard let uid = message.uid, let identity = identities[uid] else { continue }
                    try folder.setPOP3(uid: uid, uidl: identity.uidl, order: identity.order)
                }
            }
            if folder.hasPendingChanges { try self.commit(folder) }
            return IdentityAdoption(adoptedMirrorCopies: adopted?.count)
        }
    }

    func subscribe(_ name: MailboxName) async throws {
        try await io {
            guard let maildir = try self.maildir(create: true) else { return }
            try maildir.subscribe([try self.store.layout.levels(of: name)])
        }
    }

    func subscriptions() async throws -> Set<MailboxName> {
        try await io {
            guard let maildir = try self.maildir(create: false) else { return [] }
            return Set(try self.subscribedLevels(maildir).map { self.store.layout.mailboxName(levels: $0) })
        }
    }

    func append(_ messages: [OutgoingMessage], to name: MailboxName) async throws -> [AppendOutcome] {
        guard !messages.isEmpty else { return [] }
        return try await io { try self.appendBatch(messages, to: name) }
    }

    /// Flags are part of the file name: a change is a rename, committed at once.
    func storeFlags(_ uids: [UID], adding: Set<Flag>, removing: Set<Flag>) async throws {
        guard !uids.isEmpty else { return }
        try await io {
            let folder = try self.openedFolder()
            for uid in uids {
                guard let message = folder.message(uid: uid) else { continue }
                var flags = Set(message.flags.map { $0 } + message.keywords.map(Flag.init))
                flags.formUnion(adding)
                flags.subtract(removing)
                flags.remove(.recent)
                let keywords = flags.filter(\.isKeyword).map(\.stringValue).sorted()
                try folder.setFlags(uid: uid, flags: flags.filter(\.isSystemFlag), keywords: keywords)
                if let lost = folder.unstorableKeywords[message.base] {
                    self.store.logger.warning(
                        "\(folder.path): UID \(uid): more than 26 keywords in this folder; not stored in the file name: \(lost.joined(separator: " "))")
                }
            }
            if folder.hasPendingChanges { try self.commit(folder) }
        }
    }

    /// Removes exactly these messages (their files, then their records).
    func expunge(_ uids: [UID]) async throws {
        guard !uids.isEmpty else { return }
        try await io {
            let folder = try self.openedFolder()
            for uid in uids { try folder.expunge(uid: uid) }
            if folder.hasPendingChanges { try self.commit(folder) }
        }
    }

    /// Make the staged changes durable and visible; on failure nothing staged remains.
    func commit(_ folder: DovecotFolder) throws {
        do throws(MaildirError) {
            try folder.commit()
        } catch {
            try? folder.discardPendingChanges()
            current = nil
            throw error
        }
        logDiagnostics()
    }
}
