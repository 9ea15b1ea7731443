import IMAPClient
import IMAPCodec
import MailModel
import NIOCore
import Testing

/// The client against a scripted server: exact bytes on the wire, Courier- and Dovecot-like.
@Suite struct IMAPConnectionTranscriptTests {
    typealias Step = ScriptedServer.Step

    static func endpoint(_ port: Int, security: IMAPEndpoint.Security = .none) -> IMAPEndpoint {
        IMAPEndpoint(host: "127.0.0.1", port: port, security: security)
    }

    static let courierGreeting = Step("", "* OK [CAPABILITY IMAP4rev1 UIDPLUS CHILDREN NAMESPACE AUTH=PLAIN ENABLE UTF8=ACCEPT] Courier-IMAP ready.\r\n")

    @Test func courierSession() async throws {
        let steps = [
            IMAPConnectionTranscriptTests.courierGreeting,
            Step("A1 LOGIN tbalice testpass\r\n", "A1 OK LOGIN Ok.\r\n"),
            Step("A2 CAPABILITY\r\n", "* CAPABILITY IMAP4rev1 UIDPLUS CHILDREN NAMESPACE ENABLE UTF8=ACCEPT IDLE\r\nA2 OK CAPABILITY completed\r\n"),
            Step("A3 NAMESPACE\r\n", "* NAMESPACE ((\"INBOX.\" \".\")) NIL ((\"#shared.\" \".\")(\"shared.\" \".\"))\r\nA3 OK NAMESPACE completed.\r\n"),
            Step("A4 LIST \"\" *\r\n", "* LIST (\\Unmarked \\HasChildren) \".\" \"INBOX\"\r\n* LIST (\\HasNoChildren) \".\" \"INBOX.Entw&APw-rfe\"\r\nA4 OK LIST completed\r\n"),
            Step("A5 SELECT INBOX.Entw&APw-rfe\r\n", "* FLAGS (\\Draft \\Answered \\Flagged \\Deleted \\Seen \\Recent)\r\n* OK [PERMANENTFLAGS (\\* \\Draft \\Answered \\Flagged \\Deleted \\Seen)] Limited\r\n* 2 EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY 1732838400] Ok\r\n* OK [UIDNEXT 3] Ok\r\nA5 OK [READ-WRITE] Ok\r\n"),
            Step("A6 UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE)\r\n", "* 1 FETCH (UID 1 FLAGS (\\Seen) INTERNALDATE \"01-Feb-2019 10:00:00 +0100\" RFC822.SIZE 120)\r\n* 2 FETCH (UID 2 FLAGS () INTERNALDATE \"02-Feb-2019 10:00:00 +0100\" RFC822.SIZE 3000)\r\nA6 OK FETCH completed.\r\n"),
            Step("A7 LOGOUT\r\n", "* BYE Courier-IMAP server shutting down\r\nA7 OK LOGOUT completed\r\n"),
        ]
        let (server, client) = try await ScriptedServer.run(steps) { port in
            try await IMAPConnection.withConnection(to: IMAPConnectionTranscriptTests.endpoint(port), logger: testLogger) { connection in
                try await connection.authenticate(.login(username: "tbalice", password: Secret("testpass")))
                let namespace = try await connection.namespace()
                let folders = try await connection.list()
                let entwurfe = folders[1].path
                let name = try connection.name(of: entwurfe)
                let selected = try await connection.select(entwurfe)
                let metadata = try await connection.fetchMetadata()
                return (namespace.personal.first?.prefix.wire, name, selected, metadata)
            }
        }
        #expect(server == nil, "\(String(describing: server))")
        let (prefix, name, selected, metadata) = try client.get()
        #expect(prefix == Array("INBOX.".utf8))
        #expect(name == MailboxName("INBOX.Entwürfe", separator: "."))
        #expect(selected.uidValidity == UIDValidity(1_732_838_400))
        #expect(selected.uidNext == UID(exactly: 3))
        #expect(selected.messageCount == 2)
        #expect(selected.allowsNewKeywords)
        #expect(metadata.map(\.uid) == [UID(exactly: 1), UID(exactly: 2)])
        #expect(metadata[0].summary.flags == [.seen])
        #expect(metadata[1].summary.size == 3000)
    }

    @Test func metadataWithoutSizesDoesNotAskForRFC822Size() async throws {
        // Courier reads every whole message to answer RFC822.SIZE; a listing that can do
        // without sizes must not ask for it.
        let steps = [
            Step("", "* OK [CAPABILITY IMAP4rev1] hi\r\n"),
            Step("A1 SELECT INBOX\r\n", "* 2 EXISTS\r\nA1 OK [READ-WRITE] ok\r\n"),
            Step("A2 UID FETCH 1:* (UID FLAGS INTERNALDATE)\r\n",
                 "* 1 FETCH (UID 4 FLAGS (\\Seen) INTERNALDATE \"01-Feb-2019 10:00:00 +0100\")\r\n* 2 FETCH (FLAGS ())\r\n* 2 FETCH (UID 7 FLAGS () INTERNALDATE \"02-Feb-2019 10:00:00 +0100\")\r\nA2 OK done\r\n"),
            Step("A3 LOGOUT\r\n", "* BYE bye\r\nA3 OK bye\r\n"),
        ]
        let (server, client) = try await ScriptedServer.run(steps) { port in
            try await IMAPConnection.withConnection(to: IMAPConnectionTranscriptTests.endpoint(port), logger: testLogger) { connection in
                try await connection.select(.inbox)
                return try await connection.fetchMetadata(sizes: false)
            }
        }
        #expect(server == nil, "\(String(describing: server))")
        let metadata = try client.get()
        #expect(metadata.map(\.uid) == [UID(exactly: 4), UID(exactly: 7)], "an unsolicited FETCH without UID is not a result")
        #expect(metadata.map(\.summary.size) == [0, 0])
        #expect(metadata[0].summary.flags == [.seen])
        #expect(metadata[1].summary.internalDate != nil)
    }

    @Test func selectWithStatusAndFlagsIsOneRoundTrip() async throws {
        // Courier's SELECT has no UIDNEXT. The server answers only once all commands are in:
        // a client that waited for SELECT's completion before sending the rest would stall.
        let steps = [
            Step("", "* OK [CAPABILITY IMAP4rev1] hi\r\n"),
            Step("A1 SELECT INBOX.Drafts\r\nA2 STATUS INBOX.Drafts (UIDNEXT)\r\nA3 UID FETCH 1:8 (UID FLAGS)\r\n",
                 "* 2 EXISTS\r\n* OK [UIDVALIDITY 7] Ok\r\nA1 OK [READ-WRITE] Ok\r\n* STATUS INBOX.Drafts (UIDNEXT 9)\r\n"
                    + "A2 OK STATUS Completed.\r\n* 2 FETCH (UID 8 FLAGS (\\Seen))\r\n* 1 FETCH (UID 3 FLAGS ())\r\nA3 OK FETCH done\r\n"),
            // A FETCH the server refuses is no error: the flags are read the usual way.
            Step("A4 SELECT INBOX.Sent\r\nA5 UID FETCH 1:4 (UID FLAGS)\r\n",
                 "* 0 EXISTS\r\n* OK [UIDVALIDITY 8] Ok\r\n* OK [UIDNEXT 5] Ok\r\nA4 OK [READ-WRITE] Ok\r\nA5 NO nothing\r\n"),
            Step("A6 SELECT INBOX.Gone\r\nA7 STATUS INBOX.Gone (UIDNEXT)\r\n", "A6 NO no such folder\r\nA7 NO no such folder\r\n"),
            Step("A8 LOGOUT\r\n", "* BYE bye\r\nA8 OK bye\r\n"),
        ]
        let (server, client) = try await ScriptedServer.run(steps) { port in
            try await IMAPConnection.withConnection(to: IMAPConnectionTranscriptTests.endpoint(port), logger: testLogger) { connection in
                let path = { (name: String) in MailboxPath(wire: Array(name.utf8), separator: ".") }
                let drafts = try await connection.select(path("INBOX.Drafts"), status: [.uidNext], flagsOf: UIDSet(ranges: [1...8]))
                let sent = try await connection.select(path("INBOX.Sent"), status: [], flagsOf: UIDSet(ranges: [1...4]))
                var failedCommand: String?
                do {
                    _ = try await connection.select(path("INBOX.Gone"), status: [.uidNext])
                } catch let error as IMAPClientError {
                    if case .commandFailed(let command, _) = error.kind { failedCommand = command }
                }
                return (drafts, sent, failedCommand)
            }
        }
        #expect(server == nil, "\(String(describing: server))")
        let (drafts, sent, failedCommand) = try client.get()
        #expect(drafts.selected.uidValidity == UIDValidity(7))
        #expect(drafts.selected.messageCount == 2)
        #expect(drafts.selected.uidNext == nil)
        #expect(drafts.status?.uidNext == UID(exactly: 9))
        #expect(drafts.flags?.map(\.uid) == [UID(exactly: 3), UID(exactly: 8)])
        #expect(drafts.flags?.last?.flags == [.seen])
        #expect(sent.selected.uidNext == UID(exactly: 5))
        #expect(sent.status == nil)
        #expect(sent.flags == nil)
        #expect(failedCommand == "SELECT", "a failed SELECT is the error, after STATUS was read")
    }

    @Test func selectsOfManyFoldersAreOneRoundTrip() async throws {
        // A re-run on Courier: every folder's SELECT, STATUS and flags FETCH in one write; the
        // server answers only once all are in. A folder that fails is that folder's failure
        // (the FETCH of a failed SELECT runs unselected); the last SELECT's folder stays selected.
        let steps = [
            Step("", "* PREAUTH [CAPABILITY IMAP4rev1] hi\r\n"),
            Step(
                "A1 SELECT INBOX\r\nA2 STATUS INBOX (UIDNEXT)\r\nA3 UID FETCH 1:4 (UID FLAGS)\r\n"
                    + "A4 SELECT INBOX.Gone\r\nA5 STATUS INBOX.Gone (UIDNEXT)\r\nA6 UID FETCH 1:2 (UID FLAGS)\r\n"
                    + "A7 SELECT INBOX.Sent\r\nA8 STATUS INBOX.Sent (UIDNEXT)\r\n",
                "* 2 EXISTS\r\n* OK [UIDVALIDITY 7] Ok\r\nA1 OK [READ-WRITE] Ok\r\n* STATUS INBOX (UIDNEXT 5)\r\nA2 OK done\r\n"
                    + "* 1 FETCH (UID 3 FLAGS (\\Seen))\r\n* 2 FETCH (UID 4 FLAGS ())\r\nA3 OK done\r\n"
                    + "A4 NO no such folder\r\nA5 NO no such folder\r\nA6 BAD no folder selected\r\n"
                    + "* 1 EXISTS\r\n* OK [UIDVALIDITY 9] Ok\r\nA7 OK [READ-ONLY] Ok\r\n* STATUS INBOX.Sent (UIDNEXT 2)\r\nA8 OK done\r\n"),
            Step("A9 LOGOUT\r\n", "* BYE bye\r\nA9 OK bye\r\n"),
        ]
        let (server, client) = try await ScriptedServer.run(steps) { port in
            try await IMAPConnection.withConnection(to: IMAPConnectionTranscriptTests.endpoint(port), logger: testLogger) { connection in
                let path = { (name: String) in MailboxPath(wire: Array(name.utf8), separator: ".") }
                let results = try await connection.select([
                    .init(mailbox: path("INBOX"), status: [.uidNext], flagsOf: UIDSet(ranges: [1...4])),
                    .init(mailbox: path("INBOX.Gone"), status: [.uidNext], flagsOf: UIDSet(ranges: [1...2])),
                    .init(mailbox: path("INBOX.Sent"), status: [.uidNext]),
                ])
                return (results, connection.state)
            }
        }
        #expect(server == nil, "\(String(describing: server))")
        let (results, state) = try client.get()
        try #require(results.count == 3)
        let inbox = try results[0].get()
        #expect(inbox.selected.uidValidity == UIDValidity(7))
        #expect(inbox.selected.messageCount == 2)
        #expect(inbox.status?.uidNext == UID(exactly: 5))
        #expect(inbox.flags?.map(\.uid) == [UID(exactly: 3), UID(exactly: 4)])
        #expect(inbox.flags?.first?.flags == [.seen])
        guard case .failure(let gone) = results[1], case .commandFailed(let command, _) = gone.kind else {
            Issue.record("the missing folder's SELECT is its failure: \(results[1])")
            return
        }
        #expect(command == "SELECT")
        let sent = try results[2].get()
        #expect(sent.selected.uidValidity == UIDValidity(9))
        #expect(sent.selected.messageCount == 1)
        #expect(sent.selected.isReadOnly)
        #expect(sent.status?.uidNext == UID(exactly: 2))
        #expect(sent.flags == nil)
        #expect(state == .selected(MailboxPath(wire: Array("INBOX.Sent".utf8), separator: ".")))
    }

    @Test func namespaceAndBothListingsAreOneRoundTrip() async throws {
        let steps = [
            Step("", "* PREAUTH [CAPABILITY IMAP4rev1 NAMESPACE] hi\r\n"),
            Step(
                "A1 NAMESPACE\r\nA2 LIST \"\" *\r\nA3 LSUB \"\" *\r\n",
                "* NAMESPACE ((\"INBOX.\" \".\")) NIL NIL\r\nA1 OK done\r\n* LIST (\\HasNoChildren) \".\" INBOX\r\n"
                    + "* LIST (\\HasNoChildren) \".\" INBOX.Sent\r\nA2 OK done\r\n* LSUB () \".\" INBOX.Sent\r\nA3 OK done\r\n"),
            Step("A4 LOGOUT\r\n", "* BYE bye\r\nA4 OK bye\r\n"),
        ]
        let (server, client) = try await ScriptedServer.run(steps) { port in
            try await IMAPConnection.withConnection(to: IMAPConnectionTranscriptTests.endpoint(port), logger: testLogger) { connection in
                try await connection.namespaceAndFolders()
            }
        }
        #expect(server == nil, "\(String(describing: server))")
        let (namespace, folders, subscribed) = try client.get()
        #expect(namespace.personal.first?.prefix.wire == Array("INBOX.".utf8))
        #expect(folders.map { String(decoding: $0.path.wire, as: UTF8.self) } == ["INBOX", "INBOX.Sent"])
        #expect(subscribed.map { String(decoding: $0.path.wire, as: UTF8.self) } == ["INBOX.Sent"])
    }

    @Test func selectWithStatusOfANameSentAsALiteralGoesOneAfterTheOther() async throws {
        // Without LITERAL+, an 8-bit name is a synchronizing literal: each command waits for
        // "+", so SELECT's answer must be read before STATUS is sent; the flags are not asked.
        let steps = [
            Step("", "* OK [CAPABILITY IMAP4rev1] hi\r\n"),
            Step("A1 SELECT {8}\r\n", "+ go\r\n"),
            Step("INBOX.é\r\n", "* 1 EXISTS\r\n* OK [UIDVALIDITY 7] Ok\r\nA1 OK [READ-WRITE] Ok\r\n"),
            Step("A2 STATUS {8}\r\n", "+ go\r\n"),
            Step("INBOX.é (UIDNEXT)\r\n", "* STATUS \"INBOX.x\" (UIDNEXT 4)\r\nA2 OK done\r\n"),
            Step("A3 LOGOUT\r\n", "* BYE bye\r\nA3 OK bye\r\n"),
        ]
        let (server, client) = try await ScriptedServer.run(steps) { port in
            try await IMAPConnection.withConnection(to: IMAPConnectionTranscriptTests.endpoint(port), logger: testLogger) { connection in
                try await connection.select(
                    MailboxPath(wire: Array("INBOX.é".utf8), separator: "."), status: [.uidNext], flagsOf: UIDSet(ranges: [1...3]))
            }
        }
        #expect(server == nil, "\(String(describing: server))")
        let burst = try client.get()
        #expect(burst.selected.uidValidity == UIDValidity(7))
        #expect(burst.status?.uidNext == UID(exactly: 4))
        #expect(burst.flags == nil)
    }

    @Test func bodyFetchesArePipelinedAndStreamed() async throws {
        // The server answers only after it has received both commands: a client that waited
        // for the first completion would stall here (Courier's 44 ms per-FETCH cost).
        let body = String(repeating: "x", count: 200_000)
        let steps = [
            Step("", "* OK [CAPABILITY IMAP4rev1] hi\r\n"),
            Step("A1 SELECT INBOX\r\n", "* 3 EXISTS\r\nA1 OK [READ-WRITE] ok\r\n"),
            Step("A2 UID FETCH 1:10,12,14,16,18,20,22,24,26,28 (UID BODY.PEEK[])\r\nA3 UID FETCH 30 (UID BODY.PEEK[])\r\n",
                 "* 1 FETCH (UID 1 BODY[] {\(body.utf8.count)}\r\n\(body))\r\n* 2 FETCH (UID 12 BODY[] {2}\r\nab)\r\nA2 OK done\r\n* 3 FETCH (UID 30 BODY[] NIL)\r\nA3 OK done\r\n"),
            Step("A4 LOGOUT\r\n", "* BYE bye\r\nA4 OK bye\r\n"),
        ]
        let configuration = IMAPClientConfiguration(maximumUIDSetLength: 32, fetchPipelineDepth: 4)
        let (server, client) = try await ScriptedServer.run(steps) { port in
            try await IMAPConnection.withConnection(to: IMAPConnectionTranscriptTests.endpoint(port), configuration: configuration, logger: testLogger) { connection in
                try await connection.select(.inbox)
                var sizes: [Int] = []
                var largestChunk = 0
                var received: [UID: Int] = [:]
                var current = 0
                let uids = UIDSet(ranges: [1...10] + stride(from: 12, through: 30, by: 2).map { UInt32($0)...UInt32($0) })
                let missing = try await connection.fetchBodies(uids) { event in
                    switch event {
                    case .begin(_, _, let count): sizes.append(count); current = 0
                    case .bytes(let chunk): current += chunk.readableBytes; largestChunk = max(largestChunk, chunk.readableBytes)
                    case .end(let message): received[message.uid] = current
                    }
                }
                return (sizes, largestChunk, received, missing)
            }
        }
        #expect(server == nil, "\(String(describing: server))")
        let (sizes, largestChunk, received, missing) = try client.get()
        #expect(sizes == [200_000, 2])
        #expect(largestChunk <= IMAPDefaults.bodyChunkSize)
        #expect(received == [UID(exactly: 1): 200_000, UID(exactly: 12): 2])
        #expect(missing.contains(UID(exactly: 30)) && missing.contains(UID(exactly: 2)) && !missing.contains(UID(exactly: 12)))
    }

    static let date = InternalDate(imapString: "01-Feb-2019 10:00:00 +0100")!

    @Test func appendsWithSynchronizingLiterals() async throws {
        let steps = [
            Step("", "* OK [CAPABILITY IMAP4rev1 UIDPLUS] hi\r\n"),
            Step("A1 APPEND INBOX.Sent (\\Seen) \"01-Feb-2019 10:00:00 +0100\" {5}\r\n", "+ Ready for literal data\r\n"),
            Step("hello\r\n", "A1 OK [APPENDUID 1732838400 7] APPEND completed\r\n"),
            Step("A2 APPEND INBOX.Sent {3}\r\n", "A2 NO [OVERQUOTA] Mailbox is full\r\n"),
            Step("A3 APPEND INBOX.Sent ($Label1) {2}\r\n", "+ go\r\n"),
            Step("ok\r\n", "A3 OK [APPENDUID 1732838400 8] APPEND completed\r\n"),
            Step("A4 LOGOUT\r\n", "* BYE bye\r\nA4 OK bye\r\n"),
        ]
        let (server, client) = try await ScriptedServer.run(steps) { port in
            try await IMAPConnection.withConnection(to: IMAPConnectionTranscriptTests.endpoint(port), logger: testLogger) { connection in
                let sent = MailboxPath(wire: Array("INBOX.Sent".utf8), separator: ".")
                return try await connection.append([
                    AppendMessage(flags: [.seen], internalDate: IMAPConnectionTranscriptTests.date, body: .bytes(ByteBuffer(string: "hello"))),
                    AppendMessage(body: .bytes(ByteBuffer(string: "abc"))),
                    AppendMessage(flags: [Flag("$Label1")], body: .stream(byteCount: 2, ChunkSequence(["o", "k"]))),
                ], to: sent)
            }
        }
        #expect(server == nil, "\(String(describing: server))")
        let results = try client.get()
        #expect(try results[0].get() == AppendResult(uidValidity: UIDValidity(1_732_838_400), uids: [UID(exactly: 7)]))
        #expect((try? results[1].get()) == nil)
        if case .failure(let error) = results[1] { #expect(error.responseCode == ResponseCode.overQuota) }
        #expect(try results[2].get().uids == [UID(exactly: 8)])
    }

    @Test func appendsArePipelinedWithLiteralPlus() async throws {
        let steps = [
            Step("", "* OK [CAPABILITY IMAP4rev1 LITERAL+ UIDPLUS MULTIAPPEND] hi\r\n"),
            Step("A1 APPEND Sent {1+}\r\na\r\nA2 APPEND Sent {1+}\r\nb\r\n", "A1 OK [APPENDUID 5 1] ok\r\nA2 OK [APPENDUID 5 2] ok\r\n"),
            Step("A3 APPEND Sent {1+}\r\nc (\\Seen) {1+}\r\nd\r\n", "A3 OK [APPENDUID 5 3:4] ok\r\n"),
            Step("A4 LOGOUT\r\n", "* BYE bye\r\nA4 OK bye\r\n"),
        ]
        let (server, client) = try await ScriptedServer.run(steps) { port in
            try await IMAPConnection.withConnection(to: IMAPConnectionTranscriptTests.endpoint(port), logger: testLogger) { connection in
                let sent = MailboxPath(wire: Array("Sent".utf8), separator: "/")
                let single = try await connection.append(["a", "b"].map { AppendMessage(body: .bytes(ByteBuffer(string: $0))) }, to: sent)
                let multi = try await connection.appendAtomically([
                    AppendMessage(body: .bytes(ByteBuffer(string: "c"))), AppendMessage(flags: [.seen], body: .bytes(ByteBuffer(string: "d"))),
                ], to: sent)
                return (try single.map { try $0.get().uids }, multi.uids)
            }
        }
        #expect(server == nil, "\(String(describing: server))")
        let (single, multi) = try client.get()
        #expect(single == [[UID(exactly: 1)], [UID(exactly: 2)]])
        #expect(multi == [UID(exactly: 3), UID(exactly: 4)])
    }

    @Test func appendBodyOfTheWrongSizeStoresNothing() async throws {
        let steps = [
            Step("", "* OK [CAPABILITY IMAP4rev1 LITERAL+] hi\r\n"),
            Step("A1 APPEND Sent {5+}\r\nabc", ""),
        ]
        let (server, client) = try await ScriptedServer.run(steps) { port in
            try await IMAPConnection.withConnection(to: IMAPConnectionTranscriptTests.endpoint(port), logger: testLogger) { connection in
                _ = try await connection.append([AppendMessage(body: .stream(byteCount: 5, ChunkSequence(["abc"])))],
                                                to: MailboxPath(wire: Array("Sent".utf8), separator: "/"))
            }
        }
        #expect(server == nil)
        #expect(throws: IMAPClientError.self) { try client.get() }
        if case .failure(let error as IMAPClientError) = client, case .appendSizeMismatch(let expected, let actual) = error.kind {
            #expect(expected == 5 && actual == 3)
        } else {
            Issue.record("expected appendSizeMismatch, got \(client)")
        }
    }

    @Test func authenticatePlainWithAuthorizationIdentity() async throws {
        // base64("tbbench\0tbmigrator\0masterpass")
        let steps = [
            Step("", "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] Dovecot ready.\r\n"),
            Step("A1 AUTHENTICATE PLAIN\r\n", "+ \r\n"),
            Step("dGJiZW5jaAB0Ym1pZ3JhdG9yAG1hc3RlcnBhc3M=\r\n", "A1 OK [CAPABILITY IMAP4rev1 UIDPLUS] Logged in\r\n"),
            Step("A2 LOGOUT\r\n", "* BYE bye\r\nA2 OK bye\r\n"),
        ]
        let (server, client) = try await ScriptedServer.run(steps) { port in
            try await IMAPConnection.withConnection(to: IMAPConnectionTranscriptTests.endpoint(port), logger: testLogger) { connection in
                try await connection.authenticate(.plain(authorizationIdentity: "tbbench", username: "tbmigrator", password: Secret("masterpass")))
                return connection.capabilities
            }
        }
        #expect(server == nil, "\(String(describing: server))")
        #expect(try client.get().contains(.uidPlus))
    }
}
