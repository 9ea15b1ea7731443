import Cutover
import Foundation
import MailferryConfig

/// The two hosts of a cutover as the `[cutover]` table names them: the old one (local or
/// over SSH, one multiplexed connection) and the new one, where mailferry runs.
public struct CutoverHosts: Sendable {
    public var old: any Cutover.Host
    public var new: any Cutover.Host
    public var oldPostfix: PostfixHost
    public var newPostfix: PostfixHost
    public var domains: CutoverDomains

    public init(old: any Cutover.Host, new: any Cutover.Host, oldPostfix: String, newPostfix: String, domains: CutoverDomains) {
        self.old = old
        self.new = new
        self.oldPostfix = PostfixHost(host: old, configDirectory: oldPostfix)
        self.newPostfix = PostfixHost(host: new, configDirectory: newPostfix)
        self.domains = domains
    }

    /// The hosts of `config`; SSH's control socket lives in the state directory (only
    /// mailferry writes there). Every command on either host goes to `log`.
    public init(_ config: CutoverConfig, stateDirectory: String, log: (any CommandLog)?) throws {
        let old: any Cutover.Host
        if config.oldIsLocal {
            old = LocalHost(name: "old (local)", log: log)
        } else {
            let directory = (stateDirectory as NSString).appendingPathComponent("ssh")
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            old = SSHHost(destination: config.old.host, controlPath: (directory as NSString).appendingPathComponent("control-%C"),
                          options: config.old.sshOptions ?? [], log: log)
        }
        self.init(old: old, new: LocalHost(name: "new (local)", log: log), oldPostfix: config.oldPostfix, newPostfix: config.newPostfix,
                  domains: CutoverDomains(config.domains, shadowSuffix: config.shadowSuffix))
    }
}
