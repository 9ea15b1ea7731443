import NIOCore

/// Turns the bytes a server sends into ``ResponseEvent``s, with bounded memory.
///
/// Feed it whatever arrived, in any split (one byte at a time or megabytes at once):
/// ```swift
/// var parser = ResponseParser()
/// while let event = try parser.parse(&buffer) { handle(event) }   // nil: need more bytes
/// ```
/// Two layers: the ``FramingParser`` finds lines and literals; the grammar parser reads a
/// response once its text is complete. FETCH responses are read item by item, so a body
/// literal is announced (``FetchEvent/streamingBegin(kind:byteCount:)``) as soon as its
/// header arrives and its bytes are handed out in chunks as they come, never collected.
///
/// "Need more bytes" returns `nil`; anything invalid or over a limit throws
/// ``IMAPParseError`` and the parser stays failed (the stream can no longer be trusted).
public struct ResponseParser: Sendable {
    private enum Mode: Sendable {
        /// Collecting a response other than FETCH: its text and inline literals so far.
        case response(frame: [UInt8])
        /// Inside a FETCH response: the bytes not parsed yet, and how many items were read.
        /// `deferred`: an item holds inline literals; further small literals are collected
        /// without reparsing, so that a response with many literals costs linear time.
        case fetch(frame: [UInt8], itemCount: Int, deferred: Bool)
        /// Handing out the bytes of a body literal.
        case streaming(remaining: UInt64, itemCount: Int)
    }

    private var framing: FramingParser
    private let options: ResponseParserOptions
    private var expectingGreeting: Bool
    private var mode: Mode = .response(frame: [])
    private var events: [ResponseEvent] = []
    private var nextEvent = 0
    private var failure: IMAPParseError?

    public init(options: ResponseParserOptions = ResponseParserOptions()) {
        self.options = options
        self.expectingGreeting = options.expectGreeting
        self.framing = FramingParser(
            lineLengthLimit: options.lineLengthLimit,
            literalSizeLimit: max(options.streamedLiteralSizeLimit, UInt64(options.literalSizeLimit)),
            maximumChunkSize: options.bodyChunkSize
        )
    }

    /// True when no response is partly parsed: what remains in the caller's buffer (if
    /// anything) starts a new response. A connection that ends while this is false ended in
    /// the middle of a response.
    public var isAtResponseBoundary: Bool {
        guard nextEvent == events.count, case .response(let frame) = mode else { return false }
        return frame.isEmpty && !framing.isInsideLiteral
    }

    /// The next event, or `nil` if `buffer` does not hold enough bytes for one. Consumes the
    /// bytes it used; keep the rest and append what arrives next.
    public mutating func parse(_ buffer: inout ByteBuffer) throws(IMAPParseError) -> ResponseEvent? {
        if let failure { throw failure }
        while nextEvent == events.count {
            events.removeAll(keepingCapacity: true)
            nextEvent = 0
            do {
                guard let segment = try framing.parse(&buffer) else { return nil }
                try handle(segment)
            } catch {
                failure = error
                throw error
            }
        }
        defer { nextEvent += 1 }
        return events[nextEvent]
    }

    private mutating func handle(_ segment: FramingParser.Segment) throws(IMAPParseError) {
        // Each case binds the frame, then resets `mode` first thing, so that the bound array
        // is the only reference and appending to it does not copy (a copy per segment
        // would make a response with many literals quadratic).
        switch (mode, segment) {
        case (.response(var frame), .line(let text)):
            mode = .response(frame: [])
            if frame.isEmpty, !expectingGreeting, let fetch = try startFetch(Array(text.readableBytesView)) {
                mode = .fetch(frame: fetch, itemCount: 0, deferred: false)
                try parseFetchItems(final: true)
                return
            }
            frame.append(contentsOf: text.readableBytesView)
            try parseCompleteResponse(frame)
        case (.response(var frame), .literalHeader(let text, let length, _)):
            mode = .response(frame: [])
            if frame.isEmpty, !expectingGreeting, let fetch = try startFetch(Array(text.readableBytesView) + crlf) {
                mode = .fetch(frame: fetch, itemCount: 0, deferred: false)
                try parseFetchItems(final: false)
                return
            }
            frame.append(contentsOf: text.readableBytesView)
            frame.append(contentsOf: crlf)
            try checkInlineLiteral(length, frameSize: frame.count)
            mode = .response(frame: frame)
        case (.response(var frame), .literalBytes(let bytes)):
            mode = .response(frame: [])
            frame.append(contentsOf: bytes.readableBytesView)
            mode = .response(frame: frame)
        case (.fetch(var frame, let count, let deferred), .line(let text)):
            mode = .response(frame: [])
            frame.append(contentsOf: text.readableBytesView)
            mode = .fetch(frame: frame, itemCount: count, deferred: deferred)
            try parseFetchItems(final: true)
        case (.fetch(var frame, let count, let deferred), .literalHeader(let text, let length, _)):
            mode = .response(frame: [])
            frame.append(contentsOf: text.readableBytesView)
            frame.append(contentsOf: crlf)
            if deferred, length <= UInt64(options.literalSizeLimit) {
                // Collected inline and parsed with the rest; a big literal (possibly a
                // body to stream) is looked at right away.
                try checkInlineLiteral(length, frameSize: frame.count)
                mode = .fetch(frame: frame, itemCount: count, deferred: true)
            } else {
                mode = .fetch(frame: frame, itemCount: count, deferred: deferred)
                try parseFetchItems(final: false)
            }
        case (.fetch(var frame, let count, let deferred), .literalBytes(let bytes)):
            mode = .response(frame: [])
            frame.append(contentsOf: bytes.readableBytesView)
            mode = .fetch(frame: frame, itemCount: count, deferred: deferred)
        case (.streaming(let remaining, let count), .literalBytes(let bytes)):
            events.append(.fetch(.streamingBytes(bytes)))
            let left = remaining - UInt64(bytes.readableBytes)
            if left == 0 {
                events.append(.fetch(.streamingEnd))
                mode = .fetch(frame: [], itemCount: count, deferred: false)
            } else {
                mode = .streaming(remaining: left, itemCount: count)
            }
        case (.streaming, .line), (.streaming, .literalHeader):
            preconditionFailure("the framing parser ends a literal only after all its bytes")
        }
    }

    private let crlf: [UInt8] = [UInt8(ascii: "\r"), UInt8(ascii: "\n")]

    private func checkInlineLiteral(_ length: UInt64, frameSize: Int) throws(IMAPParseError) {
        if length > UInt64(options.literalSizeLimit) {
            throw IMAPParseError(.literalTooLarge(claimed: length, limit: UInt64(options.literalSizeLimit)), offset: frameSize)
        }
        if UInt64(frameSize) + length > UInt64(options.lineLengthLimit) {
            throw IMAPParseError(.lineTooLong(limit: options.lineLengthLimit), offset: frameSize)
        }
    }

    private mutating func parseCompleteResponse(_ frame: [UInt8]) throws(IMAPParseError) {
        var buffer = ParseBuffer(frame, depthLimit: options.nestingDepthLimit)
        do {
            events.append(try GrammarParser.parseResponse(&buffer, expectingGreeting: expectingGreeting))
            expectingGreeting = false
        } catch {
            throw ResponseParser.invalid(error, buffer)
        }
    }

    /// If `text` starts a FETCH response, emits ``FetchEvent/start(_:)`` and returns the rest.
    private mutating func startFetch(_ text: [UInt8]) throws(IMAPParseError) -> [UInt8]? {
        var buffer = ParseBuffer(text, depthLimit: options.nestingDepthLimit)
        do {
            guard let sequence = try GrammarParser.parseFetchStart(&buffer) else { return nil }
            events.append(.fetch(.start(sequence)))
            return Array(text[buffer.index...])
        } catch {
            throw ResponseParser.invalid(error, buffer)
        }
    }

    // msg-att = "(" (msg-att-dynamic / msg-att-static) *(SP (msg-att-dynamic / msg-att-static)) ")"
    /// Reads every complete item of the FETCH response text collected so far. `final` is true
    /// when the text ends the response; otherwise it ends at a literal header.
    private mutating func parseFetchItems(final: Bool) throws(IMAPParseError) {
        guard case .fetch(let frame, var count, _) = mode else { preconditionFailure("not in a FETCH response") }
        var buffer = ParseBuffer(frame, depthLimit: options.nestingDepthLimit)
        do throws(GrammarFailure) {
            while true {
                let itemStart = buffer.index
                if buffer.skip(UInt8(ascii: ")")) {
                    guard final else { throw buffer.failure("CRLF") }
                    try GrammarParser.expectEnd(&buffer)
                    events.append(.fetch(.finish))
                    mode = .response(frame: [])
                    return
                }
                if buffer.isAtEnd {
                    guard !final else { throw buffer.failure(")") }
                    mode = .fetch(frame: [], itemCount: count, deferred: false)
                    return
                }
                if count > 0 { try buffer.expectSpace() }
                let item: FetchItemResult
                do {
                    item = try GrammarParser.parseFetchItem(&buffer)
                } catch {
                    guard case .pendingLiteral(let length) = error else { throw error }
                    // A literal inside an item that is not a body (an ENVELOPE string): keep
                    // the item's text and collect the literal inline, then parse it again.
                    let rest = Array(frame[itemStart...])
                    do { try checkInlineLiteral(length, frameSize: rest.count) } catch { throw GrammarFailure.invalid(error) }
                    mode = .fetch(frame: rest, itemCount: count, deferred: true)
                    return
                }
                count += 1
                switch item {
                case .attribute(let attribute):
                    events.append(.fetch(.attribute(attribute)))
                case .inlineBody(let kind, let bytes):
                    events.append(.fetch(.streamingBegin(kind: kind, byteCount: bytes.count)))
                    var index = 0
                    while index < bytes.count {
                        let end = min(bytes.count, index + options.bodyChunkSize)
                        events.append(.fetch(.streamingBytes(ByteBuffer(bytes: bytes[index..<end]))))
                        index = end
                    }
                    events.append(.fetch(.streamingEnd))
                case .streamingBegin(let kind, let length):
                    guard length <= options.streamedLiteralSizeLimit, length <= UInt64(Int.max) else {
                        throw GrammarFailure.invalid(IMAPParseError(
                            .literalTooLarge(claimed: length, limit: options.streamedLiteralSizeLimit), offset: buffer.index))
                    }
                    events.append(.fetch(.streamingBegin(kind: kind, byteCount: Int(length))))
                    mode = .streaming(remaining: length, itemCount: count)
                    return
                }
            }
        } catch {
            throw ResponseParser.invalid(error, buffer)
        }
    }

    private static func invalid(_ failure: GrammarFailure, _ buffer: ParseBuffer) -> IMAPParseError {
        switch failure {
        case .invalid(let error): return error
        case .pendingLiteral: return IMAPParseError(.unexpected(rule: "literal data"), offset: buffer.index)
        }
    }
}
