@testable import SMTPServer

/// The server's connection probe as a stream the test reads in order.
struct ProbeEvents: Sendable {
    let probe: ConnectionProbe
    private let stream: AsyncStream<ConnectionProbe.Event>

    init() {
        let (stream, continuation) = AsyncStream.makeStream(of: ConnectionProbe.Event.self)
        self.stream = stream
        probe = ConnectionProbe { continuation.yield($0) }
    }

    /// The next event that `matches`, skipping others; nil if the stream ended (the test's
    /// time limit cancels a wait for an event that never comes).
    func next(where matches: (ConnectionProbe.Event) -> Bool) async -> ConnectionProbe.Event? {
        for await event in stream where matches(event) { return event }
        return nil
    }

    func next(_ event: ConnectionProbe.Event) async -> ConnectionProbe.Event? {
        await next { $0 == event }
    }

    func nextCheck() async -> ConnectionProbe.Event? {
        await next { if case .deadlineChecked = $0 { true } else { false } }
    }

    func nextEnd() async -> ConnectionProbe.Event? {
        await next { if case .ended = $0 { true } else { false } }
    }
}
