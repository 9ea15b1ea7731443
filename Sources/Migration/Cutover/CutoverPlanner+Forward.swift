import Cutover
import MailferryConfig

extension CutoverPlanner {
    /// The new server's PROXY listeners, which the forwarder on the old host connects to
    /// (`doveconf -n`, `postconf -M` on this host). Without `[cutover.forward]` one warning:
    /// stale clients will fail until their DNS catches up.
    func forwardChecks() async throws -> [CutoverCheck] {
        guard let forward = session.cutover.forward else {
            return [CutoverCheck("stale clients forwarded", passed: false,
                                 detail: "no [cutover.forward]: IMAP/POP3/submission clients whose DNS still names the old host "
                                     + "fail until it expires (docs/admin/forward.md)", blocking: false)]
        }
        // Validated with the config: an address.
        let oldAddress = IPNetwork(address: forward.oldAddress)!
        var checks: [CutoverCheck] = []
        let doveconf = try await hosts.new.run(HostCommand(forward.doveconfCommand))
        if doveconf.status == 0 {
            checks += ProxyListenerCheck.dovecot(DovecotListeners(doveconf: doveconf.standardOutput), oldAddress: oldAddress)
        } else {
            checks.append(CutoverCheck("new Dovecot's PROXY listeners", passed: false,
                                       detail: "`\(doveconf.command)` failed: \(doveconf.firstLine)"))
        }
        let postfix = hosts.newPostfix
        let master = try await postfix.masterServices()
        if master.status == 0 {
            let inherited = try await postfix.value("smtpd_upstream_proxy_protocol")
            checks += ProxyListenerCheck.postfix(PostfixProxyServices(masterCF: master.standardOutput, mainDefault: inherited))
        } else {
            checks.append(CutoverCheck("new Postfix's PROXY submission service", passed: false,
                                       detail: "`\(master.command)` failed: \(master.firstLine)", blocking: false))
        }
        return checks
    }
}
