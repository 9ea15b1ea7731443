/// What a ``FaultProxy`` does to one proxied connection: forward everything (the default),
/// cut it at a chosen byte, slow it down, or both; or, at the cut, play a hostile server.
///
///     .passThrough
///     .cut(.afterBytes(100, .serverToClient))          // the client gets 100 bytes, then EOF
///     .cut(.afterPattern("{20480}\r\n", .serverToClient, then: 1000))  // mid-literal
///     .delay(.milliseconds(20), chunkSize: 512)       // a slow link
///     .takeover(.afterPattern("BODY[] {", .serverToClient), .send(Array("9223372036854775807}\r\n".utf8), times: 1))
public struct FaultPlan: Sendable, Equatable {
    /// The two directions of a proxied connection.
    public enum Direction: Sendable, Equatable, CustomStringConvertible {
        case clientToServer, serverToClient

        public var description: String { self == .clientToServer ? "client→server" : "server→client" }
    }

    /// Where the proxy cuts a connection.
    public enum Cut: Sendable, Equatable {
        /// Right after exactly `count` bytes have been forwarded in `direction` (0: before
        /// the first byte).
        case afterBytes(Int, Direction)
        /// Right after `pattern` has been forwarded in `direction`, and then `then` more
        /// bytes of that direction (a pattern split across reads is still found).
        case afterPattern([UInt8], Direction, then: Int)

        /// ``afterPattern(_:_:then:)`` with the pattern given as UTF-8 text.
        public static func afterPattern(_ text: String, _ direction: Direction, then extra: Int = 0) -> Cut {
            .afterPattern(Array(text.utf8), direction, then: extra)
        }

        var direction: Direction {
            switch self {
            case .afterBytes(_, let direction), .afterPattern(_, let direction, _): direction
            }
        }
    }

    /// How a cut looks to both peers.
    public enum CutStyle: Sendable, Equatable {
        /// An orderly close (FIN): the peer reads what was forwarded, then end of stream.
        case close
        /// An abortive close (RST): the peer's next read or write fails with ECONNRESET.
        case reset
    }

    /// What the proxy does at the cut instead of closing: from then on it is the server the
    /// client talks to (the real server's connection is closed).
    public enum Takeover: Sendable, Equatable {
        /// Sends `unit` `times` times (stopping early when the client closes or has not read
        /// for the socket timeout), then neither writes nor reads until the client closes.
        case send([UInt8], times: Int)
        /// Neither writes nor reads until the client closes: a server that stopped.
        case silence
    }

    /// When to cut the connection; nil never cuts.
    public var cut: Cut?
    /// At the cut: play this part instead of closing; nil closes as ``cutStyle`` says.
    public var takeover: Takeover?
    public var cutStyle: CutStyle
    /// A pause before each forwarded chunk, in both directions.
    public var delayPerChunk: Duration
    /// The most bytes read and forwarded at once: the unit ``delayPerChunk`` applies to.
    public var chunkSize: Int

    public init(
        cut: Cut? = nil, cutStyle: CutStyle = .close, takeover: Takeover? = nil, delayPerChunk: Duration = .zero, chunkSize: Int = 16_384
    ) {
        precondition(chunkSize > 0, "chunkSize must be positive")
        precondition(delayPerChunk >= .zero, "delayPerChunk must not be negative")
        if case .afterBytes(let count, _) = cut { precondition(count >= 0, "a cut needs a byte count >= 0") }
        if case .afterPattern(_, _, let extra) = cut { precondition(extra >= 0, "a cut needs then >= 0") }
        if case .send(let unit, let times) = takeover { precondition(!unit.isEmpty && times > 0, "a takeover sends something") }
        self.cut = cut
        self.cutStyle = cutStyle
        self.takeover = takeover
        self.delayPerChunk = delayPerChunk
        self.chunkSize = chunkSize
    }

    /// Forwards everything as it comes.
    public static let passThrough = FaultPlan()

    /// Cuts the connection at `cut`.
    public static func cut(_ cut: Cut, style: CutStyle = .close) -> FaultPlan {
        FaultPlan(cut: cut, cutStyle: style)
    }

    /// Forwards until `cut`, then plays `takeover` instead of the server.
    public static func takeover(_ cut: Cut, _ takeover: Takeover) -> FaultPlan {
        FaultPlan(cut: cut, takeover: takeover)
    }

    /// Waits `delay` before forwarding each chunk of at most `chunkSize` bytes.
    public static func delay(_ delay: Duration, chunkSize: Int = 16_384) -> FaultPlan {
        FaultPlan(delayPerChunk: delay, chunkSize: chunkSize)
    }
}
