import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// sd_notify(3) without libsystemd: one datagram to the socket systemd names in
/// `NOTIFY_SOCKET` (a path, or `@name` in the abstract namespace). With `Type=notify` the
/// forwarder's unit is "started" only once every port is bound, so `systemctl start` (and
/// the cutover's start-forward step) fails when a port is still taken instead of reporting
/// a start that dies a moment later. Without `NOTIFY_SOCKET` (run by hand) it does nothing.
public enum SystemdNotify {
    /// Sends `state` (`READY=1`, `STOPPING=1`); false when there is no socket to send to or
    /// the send failed (never fatal: systemd then times the start out and says so).
    @discardableResult
    public static func send(_ state: String, socket path: String? = ProcessInfo.processInfo.environment["NOTIFY_SOCKET"]) -> Bool {
        guard let path, !path.isEmpty else { return false }
        var name = Array(path.utf8)
        if name[0] == UInt8(ascii: "@") { name[0] = 0 }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        // A path needs its terminating NUL; an abstract name is exactly its bytes.
        guard name.count < capacity || (name[0] == 0 && name.count <= capacity) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: name) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)! + name.count + (name[0] == 0 ? 0 : 1))
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let bytes = Array(state.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, bytes, bytes.count, 0, $0, length) }
        }
        return sent == bytes.count
    }
}
