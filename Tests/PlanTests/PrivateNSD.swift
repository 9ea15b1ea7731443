import DNSCodec
import Foundation
import Plan

#if canImport(Glibc)
import Glibc
#endif

/// Debian's NSD serving a zone of the test's own on a free loopback port, in the
/// foreground (`nsd -d`), stopped by its pid. Two instances on 127.0.0.1 and 127.0.0.2 with
/// the same port make a real delegation: a "root" that refers to the zone's own server.
struct PrivateNSD {
    let directory: String
    let address: String
    let port: Int
    let process: Process

    static let executable = "/usr/sbin/nsd"
    static var canRun: Bool { FileManager.default.isExecutableFile(atPath: executable) }

    var server: DNSServer { DNSServer(address: IPAddress(address)!, port: port) }

    /// Starts NSD for `zones` (name -> zone file text) and waits until it answers the
    /// first zone's SOA, within `timeout`.
    static func start(address: String, port: Int, zones: [(String, String)], timeout: Duration = .seconds(30)) async throws -> PrivateNSD {
        let directory = NSTemporaryDirectory() + "mailferry-nsd-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        var config = """
            server:
                ip-address: \(address)@\(port)
                username: ""
                chroot: ""
                zonesdir: "\(directory)"
                pidfile: "\(directory)/nsd.pid"
                database: ""
                zonelistfile: "\(directory)/zone.list"
                xfrdfile: "\(directory)/xfrd.state"
                xfrdir: "\(directory)"
                logfile: "\(directory)/nsd.log"
                server-count: 1
                do-ip6: no
            remote-control:
                control-enable: no

            """
        for (name, text) in zones {
            try text.write(toFile: "\(directory)/\(name).zone", atomically: true, encoding: .utf8)
            config += "zone:\n    name: \(name)\n    zonefile: \(name).zone\n"
        }
        try config.write(toFile: "\(directory)/nsd.conf", atomically: true, encoding: .utf8)
        // Foundation starts the child as the leader of a process group of its own, which the
        // server and xfrd processes NSD forks join: stop() kills them as one group.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-d", "-c", "\(directory)/nsd.conf"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let nsd = PrivateNSD(directory: directory, address: address, port: port, process: process)
        // Ready when it answers: each try waits at most 250 ms for the answer itself.
        let client = DNSClient(timeout: .milliseconds(250), attempts: 1)
        let zone = try DNSName(zones[0].0)
        let deadline = ContinuousClock.now + timeout
        for _ in 0..<200 where ContinuousClock.now < deadline {
            guard process.isRunning else { break }
            if let answer = try? await client.exchange(.query(id: 0, name: zone, type: .soa, recursionDesired: false), with: nsd.server),
               answer.isAuthoritative {
                return nsd
            }
        }
        let log = (try? String(contentsOfFile: "\(directory)/nsd.log", encoding: .utf8)) ?? ""
        nsd.stop()
        throw NSDFailed(description: "nsd on \(address):\(port) did not answer within \(timeout): \(log)")
    }

    /// SIGKILL to the whole group: NSD started by a process that blocks SIGTERM in its
    /// threads (the test runner) inherits that mask and would never see a SIGTERM.
    func stop() {
        if process.isRunning {
            let pid = process.processIdentifier
            // Only ever the group NSD leads, never the test runner's own.
            kill(getpgid(pid) == pid ? -pid : pid, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}

struct NSDFailed: Error, CustomStringConvertible {
    let description: String
}
