import Foundation
import TestbedClient

/// The tools `scripts/bench sync` compares, each copying Courier → Dovecot for one account.
enum SyncTool: String, CaseIterable {
    case mailferry
    case mbsync
    case doveadm

    var title: String {
        switch self {
        case .mailferry: return "mailferry sync"
        case .mbsync: return "mbsync 1.4 (PipelineDepth 50)"
        case .doveadm: return "doveadm backup -R imapc:"
        }
    }

    /// The command that copies `source` into `destination`; running it again is the
    /// incremental (no-op) re-run. Its configuration and state live in `directory`.
    func command(source: TestbedUser, destination: TestbedUser, directory: String, rig: SyncBenchRig) throws -> TimedCommand {
        switch self {
        case .mailferry:
            return TimedCommand(
                label: "mailferry", program: rig.binary("mailferry"),
                arguments: ["sync"] + (try Self.mailferryArguments(source: source, destination: destination, state: directory, rig: rig)) + ["--json"])
        case .mbsync:
            let config = try PeerConfigs.writeMbsyncConfig(source: source, destination: destination, directory: directory, rig: rig)
            return TimedCommand(label: "mbsync", program: "/usr/bin/mbsync", arguments: ["-q", "-c", config, "-a"])
        case .doveadm:
            let config = try PeerConfigs.writeDoveadmConfig(source: source, directory: directory, rig: rig)
            return TimedCommand(label: "doveadm", program: "/usr/bin/doveadm", arguments: ["-c", config, "backup", "-R", "-u", destination.name, "imapc:"])
        }
    }

    /// `--from … --to … --state …` for `mailferry sync` and `mailferry verify`.
    static func mailferryArguments(source: TestbedUser, destination: TestbedUser, state: String, rig: SyncBenchRig) throws -> [String] {
        let testbed = rig.testbed
        let master = try rig.masterUser
        return [
            "--from", "imap://\(source.name)@\(testbed.old.imap.host):\(testbed.old.imap.port)",
            "--to", "imap://\(destination.name)@\(testbed.new.imap.host):\(testbed.new.imap.port)",
            "--from-password-file", source.passwordFile,
            "--to-master-user", master.name, "--to-master-password-file", master.passwordFile,
            "--ca-file", testbed.caFile, "--state", state,
        ] + (rig.startTLS ? [] : ["--no-starttls"])
    }

    /// The programs a run needs besides mailferry, with the Debian package that has each.
    static let requiredPrograms = [("/usr/bin/mbsync", "isync"), ("/usr/bin/doveadm", "dovecot-core"), ("/usr/bin/time", "time")]
}
