import Foundation
@testable import MailTestSupport
@testable import TestbedClient

#if canImport(Glibc)
import Glibc
#endif

/// A tiny TCP server on 127.0.0.1 for the proxy's and the test clients' tests: sends
/// `greeting` to each connection once `greetAfter` connections have been accepted, then
/// echoes what it receives until the client closes. It records how many bytes each
/// connection received. It runs on threads of its own, never on the cooperative pool, so it
/// serves clients whatever state that pool is in. Threads end within 50 ms of ``stop()``.
final class EchoServer: @unchecked Sendable {
    let port: Int
    private let fd: Int32
    private let greeting: [UInt8]
    private let greetAfter: Int
    private let lock = NSCondition()
    private let connectionEnded = ChangeSignal()
    private var received: [Int] = []
    private var finished: Set<Int> = []
    private var stopping = false
    private var threads = 0

    init(greeting: [UInt8] = [], greetAfter: Int = 1) throws {
        (fd, port) = try LoopbackSocket.makeListener()
        self.greeting = greeting
        self.greetAfter = greetAfter
        threads = 1
        Thread { [self] in acceptLoop() }.start()
    }

    var endpoint: TestbedEndpoint { TestbedEndpoint(host: "127.0.0.1", port: port) }

    /// Bytes received by connection `index` (in accept order), once it has ended.
    func receivedBytes(ofFinished index: Int) async throws -> Int {
        try await connectionEnded.until("echo connection \(index) to end", timeout: .seconds(10)) {
            lock.withLock { finished.contains(index) ? received[index] : nil }
        }
    }

    var connectionCount: Int { lock.withLock { received.count } }

    func stop() {
        lock.withLock {
            stopping = true
            lock.broadcast()
        }
        lock.lock()
        defer { lock.unlock() }
        let deadline = Date().addingTimeInterval(5)
        while threads > 0, lock.wait(until: deadline) {}
    }

    private var isStopping: Bool { lock.withLock { stopping } }

    private func acceptLoop() {
        defer { close(fd); ended() }
        while !isStopping {
            guard LoopbackSocket.readable([fd], milliseconds: 50)[0], let client = LoopbackSocket.acceptPending(fd) else { continue }
            let index: Int = lock.withLock {
                received.append(0)
                threads += 1
                lock.broadcast()  // wakes connections waiting for `greetAfter`
                return received.count - 1
            }
            Thread { [self] in serve(client, index) }.start()
        }
    }

    private func serve(_ client: Int32, _ index: Int) {
        defer {
            close(client)
            lock.withLock { _ = finished.insert(index) }
            connectionEnded.signal()
            ended()
        }
        LoopbackSocket.setTimeouts(client, seconds: 5)
        guard waitForGreeting() else { return }
        guard LoopbackSocket.sendAll(client, greeting[...]) else { return }
        let deadline = Date().addingTimeInterval(30)
        while !isStopping, Date() < deadline {
            guard LoopbackSocket.readable([client], milliseconds: 50)[0] else { continue }
            guard case .bytes(let bytes) = LoopbackSocket.receive(client, max: 65_536) else { return }
            lock.withLock { received[index] += bytes.count }
            guard LoopbackSocket.sendAll(client, bytes[...]) else { return }
        }
    }

    /// True once `greetAfter` connections were accepted; false when stopping or after 60 s.
    private func waitForGreeting() -> Bool {
        let deadline = Date().addingTimeInterval(60)
        lock.lock()
        defer { lock.unlock() }
        while received.count < greetAfter {
            guard !stopping, lock.wait(until: deadline) else { return false }
        }
        return true
    }

    private func ended() {
        lock.withLock {
            threads -= 1
            lock.broadcast()
        }
    }
}
