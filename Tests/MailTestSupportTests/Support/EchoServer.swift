import Foundation
@testable import MailTestSupport
@testable import TestbedClient

#if canImport(Glibc)
import Glibc
#endif

/// A tiny TCP server on 127.0.0.1 for the proxy's tests: sends `greeting` to each new
/// connection, then echoes what it receives until the client closes. It records how many
/// bytes each connection received. Threads end within 50 ms of ``stop()``.
final class EchoServer: @unchecked Sendable {
    let port: Int
    private let fd: Int32
    private let greeting: [UInt8]
    private let lock = NSCondition()
    private var received: [Int] = []
    private var finished: Set<Int> = []
    private var stopping = false
    private var threads = 0

    init(greeting: [UInt8] = []) throws {
        (fd, port) = try LoopbackSocket.makeListener()
        self.greeting = greeting
        threads = 1
        Thread { [self] in acceptLoop() }.start()
    }

    var endpoint: TestbedEndpoint { TestbedEndpoint(host: "127.0.0.1", port: port) }

    /// Bytes received by connection `index` (in accept order), once it has ended.
    func receivedBytes(ofFinished index: Int) throws -> Int {
        try Poll.until("echo connection \(index) to end", attempts: 100, interval: 0.05) {
            lock.withLock { finished.contains(index) ? received[index] : nil }
        }
    }

    var connectionCount: Int { lock.withLock { received.count } }

    func stop() {
        lock.withLock { stopping = true }
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
                return received.count - 1
            }
            Thread { [self] in serve(client, index) }.start()
        }
    }

    private func serve(_ client: Int32, _ index: Int) {
        defer {
            close(client)
            lock.withLock { _ = finished.insert(index) }
            ended()
        }
        LoopbackSocket.setTimeouts(client, seconds: 5)
        guard LoopbackSocket.sendAll(client, greeting[...]) else { return }
        let deadline = Date().addingTimeInterval(30)
        while !isStopping, Date() < deadline {
            guard LoopbackSocket.readable([client], milliseconds: 50)[0] else { continue }
            guard case .bytes(let bytes) = LoopbackSocket.receive(client, max: 65_536) else { return }
            lock.withLock { received[index] += bytes.count }
            guard LoopbackSocket.sendAll(client, bytes[...]) else { return }
        }
    }

    private func ended() {
        lock.withLock {
            threads -= 1
            lock.broadcast()
        }
    }
}
