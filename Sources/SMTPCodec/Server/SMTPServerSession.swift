import MailModel
public import NIOCore

/// The server side of one SMTP connection, without I/O.
///
/// The driver feeds received bytes with `receive(_:)`, pulls `SMTPServerEvent`s with
/// `nextEvent()` until it returns nil, writes the replies, and answers the events that ask a
/// question (sender, recipient, begin, commit). The session enforces everything that does not
/// depend on policy: command syntax, order, limits, pipelining synchronisation, line endings,
/// the STARTTLS plaintext purge and the error limit. What to accept is the driver's choice.
///
/// ```
/// greeting ─► commands ─┬─► waiting for an answer ─► commands
///                       ├─► data ─► waiting for commit ─► commands
///                       ├─► starting TLS ─► commands (EHLO required again)
///                       └─► closed
/// ```
public struct SMTPServerSession: Sendable {
    enum Mode: Hashable, Sendable {
        case notStarted
        case commands
        case waitingForSender(ReversePath, MailParameters)
        case waitingForRecipient(ForwardPath)
        case waitingForBegin
        case data(DataProgress)
        case waitingForCommit
        case startingTLS
        case closed
    }

    struct Transaction: Hashable, Sendable {
        var sender: ReversePath
        var parameters: MailParameters
        var recipients: [ForwardPath] = []
    }

    struct DataProgress: Hashable, Sendable {
        var decoder: SMTPDataDecoder
        var headers = SMTPHeaderScanner()
        /// A rejection decided while receiving; content is no longer passed on.
        var rejection: SMTPReply?
    }

    public let configuration: SMTPServerSessionConfiguration
    var mode: Mode = .notStarted
    var input = ByteBuffer()
    var framer: SMTPLineFramer
    var greeted: (name: String, extended: Bool)?
    var transaction: Transaction?
    public internal(set) var isTLSActive = false
    public internal(set) var errorCount = 0
    public internal(set) var acceptedMessageCount = 0
    var events: [SMTPServerEvent] = []
    var eventIndex = 0

    /// Initialize a session.
    public init(configuration: SMTPServerSessionConfiguration) {
        self.configuration = configuration
        self.framer = SMTPLineFramer(limit: configuration.commandLineLimit)
    }

    /// True once the session has decided to close.
    public var isClosed: Bool { mode == .closed }

    /// True while message content is being received (the DATA timeout and data rate apply).
    public var isReceivingData: Bool {
        if case .data = mode { return true }
        return false
    }

    /// MAIL was accepted and the transaction is not finished: graceful shutdown waits for it.
    public var hasOpenTransaction: Bool { transaction != nil }

    /// Octets received in the current DATA phase.
    public var dataBytesReceived: Int {
        if case .data(let progress) = mode { return progress.decoder.encodedByteCount }
        return 0
    }

    /// Send the greeting. Bytes received before this call mean the client talked before the
    /// banner (§4 S-P2): the session answers 554 and closes.
    public mutating func start() {
        precondition(mode == .notStarted, "start() called twice")
        if input.readableBytes > 0 {
            emit(.send(.synchronizationError))
            close()
            return
        }
        mode = .commands
        emit(.send(configuration.greeting))
    }

    /// Bytes from the client.
    public mutating func receive(_ bytes: ByteBuffer) {
        guard mode != .closed, mode != .startingTLS else { return }
        var bytes = bytes
        input.writeBuffer(&bytes)
    }

    /// The client closed its side. A transaction in progress is aborted.
    public mutating func inputClosed() {
        guard mode != .closed else { return }
        abortTransactionIfOpen()
        close()
    }

    /// A timeout fired (the driver measures time): 421 and close.
    public mutating func timedOut() {
        guard mode != .closed else { return }
        abortTransactionIfOpen()
        emit(.send(.timeout))
        close()
    }

    /// The server is shutting down: 421 and close, unless a message is being committed.
    public mutating func shutdown() {
        guard mode != .closed else { return }
        abortTransactionIfOpen()
        emit(.send(.shuttingDown))
        close()
    }

    /// The next thing to do, or nil when the session needs more input or an answer.
    public mutating func nextEvent() -> SMTPServerEvent? {
        while true {
            if eventIndex < events.count {
                let event = events[eventIndex]
                eventIndex += 1
                if eventIndex == events.count {
                    events.removeAll(keepingCapacity: true)
                    eventIndex = 0
                }
                return event
            }
            switch mode {
            case .commands:
                guard let line = framer.nextLine(from: &input) else {
                    input.discardReadBytes()
                    return nil
                }
                handle(line)
            case .data:
                guard input.readableBytes > 0 else { return nil }
                processData()
            case .notStarted, .waitingForSender, .waitingForRecipient, .waitingForBegin, .waitingForCommit, .startingTLS, .closed:
                return nil
            }
        }
    }

    /// TLS is up: the client must say EHLO again (RFC 3207 §4.2).
    public mutating func tlsEstablished() {
        precondition(mode == .startingTLS, "tlsEstablished() without STARTTLS")
        isTLSActive = true
        input.clear()
        framer.reset()
        mode = .commands
    }

    mutating func emit(_ event: SMTPServerEvent) {
        events.append(event)
    }

    /// Send an error reply, counting it; close with 421 when the limit is reached (§4 S-X4).
    mutating func reject(_ reply: SMTPReply) {
        errorCount += 1
        if errorCount >= configuration.hardErrorLimit {
            abortTransactionIfOpen()
            emit(.send(.tooManyErrors))
            close()
        } else {
            emit(.send(reply))
        }
    }

    mutating func close() {
        mode = .closed
        input.clear()
        emit(.close)
    }

    mutating func abortTransactionIfOpen() {
        if transaction != nil { emit(.abortTransaction) }
        transaction = nil
    }
}
