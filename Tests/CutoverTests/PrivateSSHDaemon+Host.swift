import Cutover
import MailTestSupport

extension PrivateSSHDaemon {
    /// An SSHHost for root on this daemon: its multiplexing socket in the daemon's directory,
    /// everything else from the daemon's ssh_config (`-F`), host key checking left to SSHHost.
    func host(log: (any CommandLog)? = nil, options: [String]? = nil) -> SSHHost {
        SSHHost(destination: destination, controlPath: "\(directory)/control-%C", options: options ?? sshOptions, log: log)
    }
}
