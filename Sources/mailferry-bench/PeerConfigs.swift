import Foundation
import TestbedClient

/// Configuration files of the peers, as testbed.md §8 ran them: Courier as the far/imapc
/// side with the account's password, Dovecot as the near side through the master user
/// (mbsync) or directly as its mail storage (doveadm). Passwords go into 0600 files in the
/// scratch directory, never into argv.
enum PeerConfigs {
    /// mbsync 1.4: Far = Courier, Near = Dovecot (master user), Sync Pull, Create Near,
    /// CopyArrivalDate, PipelineDepth 50, state in `directory`. Sections need blank lines
    /// between them. With TLS the host is `localhost` (127.0.0.1 only, in /etc/hosts):
    /// mbsync 1.4 matches the certificate's DNS names but not its IP address.
    static func writeMbsyncConfig(source: TestbedUser, destination: TestbedUser, directory: String, rig: SyncBenchRig) throws -> String {
        let testbed = rig.testbed
        let master = try rig.masterUser
        let security = rig.startTLS
            ? "SSLType STARTTLS\nSystemCertificates no\nCertificateFile \(testbed.caFile)"
            : "SSLType None"
        let host = { (address: String) in rig.startTLS && address == "127.0.0.1" ? "localhost" : address }
        let state = (directory as NSString).appendingPathComponent("mbsync-state") + "/"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let text = """
            IMAPAccount far
            Host \(host(testbed.old.imap.host))
            Port \(testbed.old.imap.port)
            User \(source.name)
            PassCmd "head -n 1 \(source.passwordFile)"
            AuthMechs LOGIN
            \(security)
            PipelineDepth 50

            IMAPStore far
            Account far

            IMAPAccount near
            Host \(host(testbed.new.imap.host))
            Port \(testbed.new.imap.port)
            User \(master.loginName(actingAs: destination.name))
            PassCmd "head -n 1 \(master.passwordFile)"
            AuthMechs LOGIN
            \(security)
            PipelineDepth 50

            IMAPStore near
            Account near

            Channel bench
            Far :far:
            Near :near:
            Patterns *
            Sync Pull
            Create Near
            CopyArrivalDate yes
            SyncState \(state)

            """
        return try write(text, to: (directory as NSString).appendingPathComponent("mbsyncrc"))
    }

    /// doveadm's settings for `backup -R -u DEST imapc:`: the testbed's Dovecot config plus
    /// the imapc settings of testbed.md §8 (`rfc822.size fetch-headers`, list prefix INBOX,
    /// prefetch 20).
    static func writeDoveadmConfig(source: TestbedUser, directory: String, rig: SyncBenchRig) throws -> String {
        let testbed = rig.testbed
        let security = rig.startTLS ? "imapc_ssl = starttls\nssl_client_ca_file = \(testbed.caFile)" : "imapc_ssl = no"
        let text = """
            !include \(try rig.dovecotConfig)
            imapc_host = \(testbed.old.imap.host)
            imapc_port = \(testbed.old.imap.port)
            imapc_user = \(source.name)
            imapc_password = \(try source.password())
            imapc_features = rfc822.size fetch-headers
            imapc_list_prefix = INBOX
            mail_prefetch_count = 20
            \(security)

            """
        return try write(text, to: (directory as NSString).appendingPathComponent("doveadm.conf"))
    }

    private static func write(_ text: String, to path: String) throws -> String {
        _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }
}
