import IMAPCodec
import MailModel
import Testing

@Suite struct ClientStateMachineTests {
    static func ok(_ tag: String, _ code: ResponseCode? = nil) -> ResponseEvent {
        .tagged(TaggedResponse(tag: tag, status: .ok, text: ResponseText(code: code, text: "done")))
    }

    func connected() throws -> ClientStateMachine {
        var machine = ClientStateMachine()
        let status = try machine.receiveGreeting(.greeting(.ok, ResponseText(code: .capability([.imap4rev1, .literalPlus]), text: "hi")))
        #expect(status == .ok)
        return machine
    }

    @Test func greetingSetsStateAndCapabilities() throws {
        let machine = try connected()
        #expect(machine.state == .notAuthenticated)
        #expect(machine.capabilities.contains(.literalPlus))
        #expect(machine.encodingOptions.literalMode == .nonSynchronizing)
        var refused = ClientStateMachine()
        #expect(throws: ClientStateMachine.ProtocolViolation.self) { try refused.receiveGreeting(.greeting(.bye, ResponseText(text: "busy"))) }
        var preauth = ClientStateMachine()
        _ = try preauth.receiveGreeting(.greeting(.preauth, ResponseText(text: "welcome")))
        #expect(preauth.state == .authenticated)
    }

    @Test func loginSelectLogout() throws {
        var machine = try connected()
        let login = machine.startCommand(.authentication)
        #expect(login == "A1")
        let loginDone = try machine.receive(ClientStateMachineTests.ok(login, .capability([.imap4rev1, .uidPlus])))
        #expect(loginDone == .completed(TaggedResponse(tag: "A1", status: .ok, text: ResponseText(code: .capability([.imap4rev1, .uidPlus]), text: "done")), kind: .authentication, interruptedLiteral: false))
        #expect(machine.state == .authenticated)
        #expect(machine.capabilities == [.imap4rev1, .uidPlus])

        let select = machine.startCommand(.select(.inbox))
        #expect(try machine.receive(.untagged(.exists(3))) == .data(.untagged(.exists(3))))
        _ = try machine.receive(ClientStateMachineTests.ok(select))
        #expect(machine.state == .selected(.inbox))

        let failedSelect = machine.startCommand(.select(MailboxPath(wire: Array("nope".utf8), separator: nil)))
        _ = try machine.receive(.tagged(TaggedResponse(tag: failedSelect, status: .no, text: ResponseText(text: "no"))))
        #expect(machine.state == .authenticated)

        let logout = machine.startCommand(.logout)
        #expect(try machine.receive(.untagged(.condition(.bye, ResponseText(text: "bye")))) == .bye(ResponseText(text: "bye")))
        _ = try machine.receive(ClientStateMachineTests.ok(logout))
        #expect(machine.state == .loggedOut)
    }

    @Test func continuationsGoToTheWaitingCommand() throws {
        var machine = try connected()
        let tag = machine.startCommand(.other)
        #expect(throws: ClientStateMachine.ProtocolViolation.self) { try machine.receive(.continuation(text: "")) }
        machine.waitForContinuation(tag: tag)
        #expect(try machine.receive(.continuation(text: "go")) == .sendNextChunk(tag: tag))
        #expect(throws: ClientStateMachine.ProtocolViolation.self) { try machine.receive(.continuation(text: "again")) }
    }

    @Test func rejectionBeforeTheLiteralIsReported() throws {
        var machine = try connected()
        let tag = machine.startCommand(.other)
        machine.waitForContinuation(tag: tag)
        let no = TaggedResponse(tag: tag, status: .no, text: ResponseText(code: .tryCreate, text: "no such mailbox"))
        #expect(try machine.receive(.tagged(no)) == .completed(no, kind: .other, interruptedLiteral: true))
        // The next command may wait for a continuation again.
        let next = machine.startCommand(.other)
        machine.waitForContinuation(tag: next)
    }

    @Test func authenticateChallenges() throws {
        var machine = try connected()
        let tag = machine.startCommand(.authentication)
        machine.waitForContinuation(tag: tag, challenge: true)
        #expect(try machine.receive(.continuation(text: "")) == .challenge(tag: tag, text: ""))
        _ = try machine.receive(ClientStateMachineTests.ok(tag))
        #expect(machine.state == .authenticated)
    }

    @Test func unknownTagsAndSecondGreetingsAreViolations() throws {
        var machine = try connected()
        #expect(throws: ClientStateMachine.ProtocolViolation.self) { try machine.receive(ClientStateMachineTests.ok("Z9")) }
        #expect(throws: ClientStateMachine.ProtocolViolation.self) { try machine.receive(.greeting(.ok, ResponseText(text: ""))) }
    }

    @Test func enabledUTF8ChangesEncoding() throws {
        var machine = try connected()
        let tag = machine.startCommand(.enable)
        _ = try machine.receive(.untagged(.enabled([.utf8Accept])))
        _ = try machine.receive(ClientStateMachineTests.ok(tag))
        #expect(machine.utf8Enabled)
        #expect(machine.encodingOptions.utf8Accepted)
    }
}
