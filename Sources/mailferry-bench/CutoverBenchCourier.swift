import Foundation
import TestbedClient

#if canImport(Glibc)
import Glibc
#endif

/// The old host's IMAP server in the cutover benchmark: a Courier-IMAP of the benchmark's own,
/// run from the shared testbed's Courier binaries and settings (couriertcpd, imaplogin, imapd,
/// its `imapd` environment file) on the old Postfix instance's address and a port of its own,
/// so stopping it never touches the shared Courier. It is started as Debian's `imapd start`
/// starts Courier (couriertcpd with `-pid=`, which forks into a process group of its own and
/// runs each session in it), and stopped as `imapd stop` does, with SIGTERM to couriertcpd,
/// which passes it on to its whole group; the stop command returns once no process of that
/// group is left, as the cutover requires of a stop command (no session may still change
/// mail). One idle connection per account is open when the stop comes, so it has sessions to
/// end; they wait at Courier's login prompt, since the benchmark's users are unknown to the
/// shared Courier authentication daemon.
struct CutoverBenchCourier {
    let address: String
    let port: Int
    let pidFile: String
    let environmentFile: String
    let imaplogin: String
    let imapd: String

    /// Courier as the shared testbed installed it, or nil (with the reason) when it is not there.
    static func locate(address: String, scratch: String) -> Result<CutoverBenchCourier, BenchError> {
        let testbed: Testbed
        do {
            testbed = try Testbed.require()
        } catch {
            return .failure(BenchError("no testbed for Courier's binaries: \(error)"))
        }
        let package = "\(testbed.stateDir)/pkg/courier-imap"
        let courier = CutoverBenchCourier(
            address: address, port: Int.random(in: 30_000...39_999), pidFile: "\(scratch)/courier-imapd.pid",
            environmentFile: "\(testbed.stateDir)/old/courier/imapd", imaplogin: "\(package)/usr/lib/courier/courier/imaplogin",
            imapd: "\(package)/usr/bin/imapd")
        for path in ["/usr/sbin/couriertcpd", courier.imaplogin, courier.imapd, courier.environmentFile]
        where !FileManager.default.fileExists(atPath: path) {
            return .failure(BenchError("\(path) is missing"))
        }
        return .success(courier)
    }

    /// Starts couriertcpd in the background (it writes its pid file and forks), with the signal
    /// mask and dispositions an init system gives it (`ExternalProgram.withDefaultSignals`).
    var startCommand: [String] {
        ["/usr/bin/env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin"] + ExternalProgram.withDefaultSignals + [
         "/bin/sh", "-c",
         "set -a; . \(environmentFile); exec /usr/sbin/couriertcpd -pid=\(pidFile) -address=\(address) -maxprocs=100 -maxperip=100 "
            + "-nodnslookup -noidentlookup \(port) \(imaplogin) \(imapd) Maildir"]
    }

    /// SIGTERM to couriertcpd, then wait until its process group (every session) is gone.
    var stopCommand: [String] {
        ["/bin/sh", "-c", "p=$(cat \(pidFile)) || exit 1; kill -TERM \"$p\"; while pgrep -g \"$p\" >/dev/null; do sleep 0.02; done"]
    }

    /// The idle client connections, one per account, held open until ``close(_:)``.
    func connectClients(_ count: Int) async throws -> [LineSocket] {
        var sockets: [LineSocket] = []
        for _ in 0..<count {
            let socket = try await LineSocket(host: address, port: port, timeout: 10)
            _ = try await socket.readLine()
            sockets.append(socket)
        }
        return sockets
    }

    /// Stops a Courier left running by a failed runbook (the pid file is removed by couriertcpd).
    func stopIfRunning() {
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)),
              let comm = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8),
              comm.trimmingCharacters(in: .whitespacesAndNewlines) == "couriertcpd" else { return }
        kill(pid, SIGTERM)
    }
}
