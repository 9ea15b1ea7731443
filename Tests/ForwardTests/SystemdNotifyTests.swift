import Foundation
import Testing

import Forward

#if canImport(Glibc)
import Glibc
#endif

/// The forwarder's readiness message reaches the socket systemd would name, as a path and
/// in the abstract namespace, and nothing happens without one.
@Suite struct SystemdNotifyTests {
    /// A datagram socket bound to `name` (a path, or `@name`), receiving with a timeout.
    final class Receiver {
        let fd: Int32

        init(_ name: String) throws {
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            var bytes = Array(name.utf8)
            if bytes[0] == UInt8(ascii: "@") { bytes[0] = 0 }
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
            let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)! + bytes.count + (bytes[0] == 0 ? 0 : 1))
            let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
            guard bound == 0 else { throw CocoaError(.fileWriteUnknown) }
            var timeout = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        func receive() -> String? {
            var buffer = [UInt8](repeating: 0, count: 256)
            let count = recv(fd, &buffer, buffer.count, 0)
            return count > 0 ? String(decoding: buffer.prefix(count), as: UTF8.self) : nil
        }

        deinit { close(fd) }
    }

    @Test func readyReachesAPathSocket() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("notify-\(UUID().uuidString.prefix(8))").path
        defer { unlink(path) }
        let receiver = try Receiver(path)
        #expect(SystemdNotify.send("READY=1", socket: path))
        #expect(receiver.receive() == "READY=1")
    }

    @Test func readyReachesAnAbstractSocket() throws {
        let name = "@mailferry-notify-test-\(UUID().uuidString.prefix(8))"
        let receiver = try Receiver(name)
        #expect(SystemdNotify.send("STOPPING=1", socket: name))
        #expect(receiver.receive() == "STOPPING=1")
    }

    @Test func withoutASocketNothingIsSent() {
        #expect(!SystemdNotify.send("READY=1", socket: nil))
        #expect(!SystemdNotify.send("READY=1", socket: ""))
        #expect(!SystemdNotify.send("READY=1", socket: "/nonexistent/notify"))
    }
}
