import IMAPClient
import IMAPCodec
import MailModel
import MailTestSupport
import NIOCore
import Testing

/// The client against the testbed's real Courier (old) and Dovecot (new), over STARTTLS
/// with the testbed CA. Each test creates its own account, so suites run in parallel and
/// on a dirty testbed.
@Suite(.tags(.integration), .requiresTestbed, .serialized)
struct IMAPIntegrationTests {
    enum Side: String, CaseIterable, Sendable {
        case courier, dovecot
    }

    static func endpoint(_ testbed: Testbed, _ side: Side) -> IMAPEndpoint {
        let server = side == .courier ? testbed.old.imap : testbed.new.imap
        return IMAPEndpoint(host: server.host, port: server.port, security: .startTLS, tls: IMAPTLSOptions(caFile: testbed.caFile))
    }

    static func withAccount<T: Sendable>(
        _ side: Side, prefix: String, master: Bool = false, _ body: (IMAPConnection, TestbedUser) async throws -> sending T
    ) async throws -> T {
        let testbed = try Testbed.require()
        let user = try await testbed.makeAccount(prefix: prefix)
        let credentials: IMAPCredentials
        if master, let masterUser = testbed.new.masterUser {
            credentials = .plain(authorizationIdentity: user.name, username: masterUser.name, password: Secret(try masterUser.password()))
        } else {
            credentials = .login(username: user.name, password: Secret(try user.password()))
        }
        return try await withLoggedInConnection(
            to: endpoint(testbed, side), logger: testLogger, login: { try await $0.authenticate(credentials) }
        ) { connection in
            try await body(connection, user)
        }
    }

    static func message(_ subject: String, bodyBytes: Int = 200) -> ByteBuffer {
        var text = "From: a@example.test\r\nTo: b@example.test\r\nSubject: \(subject)\r\nMessage-ID: <\(subject)@mailferry.test>\r\n\r\n"
        text += String(repeating: "line of text\r\n", count: max(1, bodyBytes / 14))
        return ByteBuffer(string: text)
    }

    @Test(arguments: Side.allCases)
    func loginNamespaceListSelect(_ side: Side) async throws {
        try await IMAPIntegrationTests.withAccount(side, prefix: "ns") { connection, _ in
            #expect(connection.isTLS)
            let namespace = try await connection.namespace()
            let personal = try #require(namespace.personal.first)
            #expect(personal.separator == (side == .courier ? "." : "/"))
            #expect(personal.prefix.wire == Array((side == .courier ? "INBOX." : "").utf8))
            let folders = try await connection.list()
            #expect(folders.contains { $0.path.isInbox })
            let inbox = try await connection.select(.inbox)
            #expect(inbox.uidValidity != nil)
            #expect(inbox.messageCount == 0)
        }
    }

    @Test(arguments: Side.allCases)
    func utf8AcceptOnCourierAndNotOnDovecot(_ side: Side) async throws {
        try await IMAPIntegrationTests.withAccount(side, prefix: "utf8") { connection, _ in
            let separator: Character = side == .courier ? "." : "/"
            let name = MailboxName((side == .courier ? "INBOX." : "") + "Privé 日本語", separator: separator)
            try await connection.create(connection.path(for: name))  // modified UTF-7 on the wire
            let enabled = try await connection.enable([.utf8Accept])
            // Courier turns UTF-8 names on; Dovecot 2.3 answers OK and enables nothing.
            #expect(enabled.contains(.utf8Accept) == (side == .courier))
            #expect(connection.utf8Enabled == (side == .courier))
            let listed = try await connection.list()
            let match = try #require(try listed.first { try connection.name(of: $0.path) == name })
            #expect(match.path.wire == Array((side == .courier ? name.name : name.modifiedUTF7).utf8))
            // Addressed in the connection's mode, the same folder selects.
            let second = MailboxName(name.name + String(separator) + "Ünïcödé", separator: separator)
            try await connection.create(connection.path(for: second))
            _ = try await connection.select(connection.path(for: second))
            #expect(try await connection.list().contains { try connection.name(of: $0.path) == second })
        }
    }

    @Test func dovecotMasterUserLoginWithSeparator() async throws {
        let testbed = try Testbed.require()
        let user = try await testbed.makeAccount(prefix: "mlogin")
        let master = try #require(testbed.new.masterUser)
        try await IMAPConnection.withConnection(to: IMAPIntegrationTests.endpoint(testbed, .dovecot), logger: testLogger) { connection in
            try await connection.authenticate(.login(username: master.loginName(actingAs: user.name), password: Secret(try master.password())))
            #expect(connection.state == .authenticated)
        }
    }

    @Test func dovecotMasterUserLogin() async throws {
        try await IMAPIntegrationTests.withAccount(.dovecot, prefix: "master", master: true) { connection, _ in
            #expect(connection.state == .authenticated)
            _ = try await connection.select(.inbox)
        }
    }

    @Test(arguments: Side.allCases)
    func appendStoreFetchAndNonASCIIFolders(_ side: Side) async throws {
        try await IMAPIntegrationTests.withAccount(side, prefix: "append") { connection, _ in
            let separator: Character = side == .courier ? "." : "/"
            let prefix = side == .courier ? "INBOX." : ""
            let name = MailboxName(prefix + "Entwürfe" + String(separator) + "日本語 & Co", separator: separator)
            let parent = try #require(name.parent)
            let parentPath = connection.path(for: parent)
            let path = connection.path(for: name)
            try await connection.create(parentPath)
            try await connection.create(path)
            try await connection.subscribe(path)
            // The name reads back the same, decoded from the server's wire form.
            let listed = try await connection.list(pattern: "*")
            #expect(try listed.contains { try connection.name(of: $0.path) == name })

            let date = InternalDate(imapString: "01-Feb-2019 10:00:00 +0100")!
            let messages = (1...5).map { AppendMessage(flags: $0 == 1 ? [.seen, Flag("$Label1")] : [], internalDate: date, body: .bytes(IMAPIntegrationTests.message("m\($0)"))) }
            let results = try await connection.append(messages, to: path)
            #expect(results.allSatisfy { (try? $0.get()) != nil })

            let selected = try await connection.select(path)
            #expect(selected.messageCount == 5)
            let metadata = try await connection.fetchMetadata()
            #expect(metadata.count == 5)
            #expect(metadata[0].summary.flags.contains(.seen) && metadata[0].summary.flags.contains(Flag("$Label1")))
            #expect(metadata.allSatisfy { $0.summary.internalDate?.isSameInstant(as: date) == true })
            if let uids = try? results[0].get().uids, !uids.isEmpty { #expect(uids == [metadata[0].uid]) }

            try await connection.store(UIDSet([metadata[1].uid]), StoreOperation(.add, flags: [.flagged, Flag("NonJunk")]))
            try await connection.store(UIDSet([metadata[0].uid]), StoreOperation(.remove, flags: [Flag("$Label1")]))
            let after = try await connection.fetchMetadata()
            #expect(after[1].summary.flags.isSuperset(of: [.flagged, Flag("NonJunk")]))
            #expect(!after[0].summary.flags.contains(Flag("$Label1")))
            #expect(try await connection.search(.keyword(Flag("NonJunk"))) == [metadata[1].uid])
            if side == .dovecot, let modSeq = metadata.compactMap(\.modSeq).max() {
                // CONDSTORE: only the two messages whose flags changed since the first fetch.
                let changed = try await connection.fetchMetadata(changedSince: modSeq)
                #expect(Set(changed.map(\.uid)) == [metadata[0].uid, metadata[1].uid])
            }

            var bodies: [UID: [UInt8]] = [:]
            var current: [UInt8] = []
            try await connection.fetchBodies(UIDSet(metadata.map(\.uid))) { event in
                switch event {
                case .begin: current = []
                case .bytes(let chunk): current += chunk.readableBytesView
                case .end(let message): bodies[message.uid] = current
                }
            }
            #expect(bodies[metadata[2].uid] == Array(IMAPIntegrationTests.message("m3").readableBytesView))
        }
    }

    @Test(arguments: Side.allCases)
    func bigMessageStreamsInBoundedChunks(_ side: Side) async throws {
        try await IMAPIntegrationTests.withAccount(side, prefix: "big") { connection, _ in
            let size = 25 * 1024 * 1024
            var produced = 0
            var hasher = MessageFingerprint.Hasher()
            let line = ByteBuffer(string: String(repeating: "0123456789abcdef", count: 4) + "\r\n")  // 66 bytes
            var header = ByteBuffer(string: "Subject: big\r\n\r\n")
            let body = AppendBody(byteCount: size) {
                guard produced < size else { return nil }
                var chunk = ByteBuffer()
                if produced == 0 { chunk.writeBuffer(&header) }
                while chunk.readableBytes + line.readableBytes <= 64 * 1024, produced + chunk.readableBytes + line.readableBytes <= size {
                    chunk.writeImmutableBuffer(line)
                }
                if chunk.readableBytes == 0 {
                    // The message ends with CRLF: Courier appends one to a message without it.
                    chunk.writeRepeatingByte(UInt8(ascii: "x"), count: size - produced - 2)
                    chunk.writeString("\r\n")
                }
                produced += chunk.readableBytes
                chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                return chunk
            }
            let sent = try await connection.append(AppendMessage(body: body), to: .inbox)
            let expected = hasher.finalize()
            _ = try await connection.select(.inbox)
            let uid = try #require(try await connection.fetchMetadata().last?.uid)
            if let appended = sent.uids.first { #expect(appended == uid) }
            var received = MessageFingerprint.Hasher()
            var largest = 0
            var announced = 0
            try await connection.fetchBodies(UIDSet([uid])) { event in
                switch event {
                case .begin(_, _, let count): announced = count
                case .bytes(let chunk):
                    largest = max(largest, chunk.readableBytes)
                    chunk.withUnsafeReadableBytes { received.update(bufferPointer: $0) }
                case .end: break
                }
            }
            #expect(announced == size)
            #expect(largest <= IMAPDefaults.bodyChunkSize)
            #expect(received.finalize() == expected)
        }
    }
}
