import CorpusGenerator
import IMAPClient
import IMAPCodec
import MailModel
import MailTestSupport
import NIOCore
import Testing

/// The client end to end, both ways of naming folders: a generated corpus is read from
/// Courier (`INBOX.`-prefixed, `.`-separated, modified UTF-7) and written to Dovecot (no
/// prefix, `/`) through the master user's `LOGIN user*master`, then read back: the same
/// UTF-8 names, counts, flags, dates and SHA-256 of every message.
@Suite(.tags(.integration), .requiresTestbed)
struct CourierToDovecotCopyTests {
    struct Copied: Sendable {
        var flags: Set<Flag>
        var date: InternalDate?
        var sha256: MessageFingerprint
    }

    @Test func corpusFoldersSurviveTheCopy() async throws {
        let testbed = try Testbed.require()
        let user = try await testbed.makeAccount(prefix: "copy")
        let profile = CorpusProfile(messages: 60, largeMessages: 1, folders: 14, largeMaxBytes: 1_048_576)
        _ = try CorpusWriter(profile: profile, seed: 5, user: user.name)
            .write(into: user.oldMaildir, owner: try CorpusOwner.lookup(user.name), replace: true)
        let master = try #require(testbed.new.masterUser)
        let tls = IMAPTLSOptions(caFile: testbed.caFile)
        let courier = IMAPEndpoint(host: testbed.old.imap.host, port: testbed.old.imap.port, security: .startTLS, tls: tls)
        let dovecot = IMAPEndpoint(host: testbed.new.imap.host, port: testbed.new.imap.port, security: .startTLS, tls: tls)

        // Read everything from Courier, keyed by the Unicode name below the INBOX. prefix.
        let source: [String: (subscribed: Bool, messages: [(Copied, ByteBuffer)])] = try await withLoggedInConnection(
            to: courier, logger: testLogger, login: { try await $0.authenticate(.login(username: user.name, password: Secret(try user.password()))) }
        ) { connection in
            let subscribed = Set(try await connection.listSubscribed().map(\.path.wire))
            var result: [String: (subscribed: Bool, messages: [(Copied, ByteBuffer)])] = [:]
            for info in try await connection.list() where info.isSelectable {
                let name = try connection.name(of: info.path)
                let relative = name.isInbox ? ["INBOX"] : Array(name.components.dropFirst())
                _ = try await connection.select(info.path)
                let metadata = try await connection.fetchMetadata()
                var bodies: [UID: ByteBuffer] = [:]
                var current = ByteBuffer()
                try await connection.fetchBodies(UIDSet(metadata.map(\.uid))) { event in
                    switch event {
                    case .begin: current = ByteBuffer()
                    case .bytes(var chunk): current.writeBuffer(&chunk)
                    case .end(let message): bodies[message.uid] = current
                    }
                }
                result[relative.joined(separator: "/")] = (subscribed.contains(info.path.wire), metadata.map { meta in
                    let body = bodies[meta.uid]!
                    let copied = Copied(flags: meta.summary.flags.subtracting([.recent]), date: meta.summary.internalDate,
                                        sha256: MessageFingerprint.of(body.readableBytesView))
                    return (copied, body)
                })
            }
            return result
        }
        #expect(source.count >= 10)
        #expect(source.keys.contains("Entwürfe") && source.keys.contains("日本語"))

        // Write to Dovecot as the master user, then read back.
        let login = IMAPCredentials.login(username: master.loginName(actingAs: user.name), password: Secret(try master.password()))
        let copied: [String: (subscribed: Bool, messages: [Copied])] = try await withLoggedInConnection(to: dovecot, logger: testLogger, login: { try await $0.authenticate(login) }) { connection in
            for (name, folder) in source.sorted(by: { $0.key < $1.key }) {
                let path = name == "INBOX" ? MailboxPath.inbox : connection.path(for: MailboxName(name, separator: "/"))
                if name != "INBOX" { try await connection.create(path) }
                if folder.subscribed { try await connection.subscribe(path) }
                let results = try await connection.append(folder.messages.map { copied, body in
                    AppendMessage(flags: Array(copied.flags), internalDate: copied.date, body: .bytes(body))
                }, to: path)
                for result in results { _ = try result.get() }
            }
            let subscribed = Set(try await connection.listSubscribed().map(\.path.wire))
            var result: [String: (subscribed: Bool, messages: [Copied])] = [:]
            for info in try await connection.list() where info.isSelectable {
                let name = try connection.name(of: info.path).name
                _ = try await connection.select(info.path)
                let metadata = try await connection.fetchMetadata()
                var hashes: [UID: MessageFingerprint] = [:]
                var hasher = MessageFingerprint.Hasher()
                try await connection.fetchBodies(UIDSet(metadata.map(\.uid))) { event in
                    switch event {
                    case .begin: hasher = MessageFingerprint.Hasher()
                    case .bytes(let chunk): chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                    case .end(let message): hashes[message.uid] = hasher.finalize()
                    }
                }
                result[name] = (subscribed.contains(info.path.wire) || info.path.isInbox, metadata.map {
                    Copied(flags: $0.summary.flags.subtracting([.recent]), date: $0.summary.internalDate, sha256: hashes[$0.uid]!)
                })
            }
            return result
        }

        #expect(Set(copied.keys) == Set(source.keys))
        for (name, folder) in source {
            let target = try #require(copied[name], "\(name) missing on Dovecot")
            #expect(target.messages.count == folder.messages.count, "\(name)")
            #expect(target.subscribed == (folder.subscribed || name == "INBOX"), "\(name) subscription")
            for (expected, got) in zip(folder.messages.map(\.0), target.messages) {
                #expect(got.sha256 == expected.sha256, "\(name): bytes differ")
                #expect(got.flags == expected.flags, "\(name): flags differ")
                #expect(got.date.map { expected.date?.isSameInstant(as: $0) ?? false } ?? (expected.date == nil), "\(name): date differs")
            }
        }
    }
}
