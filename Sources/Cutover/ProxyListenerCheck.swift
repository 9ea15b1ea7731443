/// `cutover plan`'s checks of the new server's PROXY listeners, which the forwarder on the
/// old host connects to (docs/admin/forward.md): Dovecot must have `haproxy = yes`
/// listeners, trust PROXY headers from the old host's address, and never count that address
/// as a trusted login network; Postfix should read PROXY on a submission service only.
/// Pure: from `doveconf -n` and `postconf -M` output to checks.
public enum ProxyListenerCheck {
    public static func dovecot(_ settings: DovecotListeners, oldAddress: IPNetwork) -> [CutoverCheck] {
        var checks: [CutoverCheck] = []
        let listeners = settings.proxyListeners
        checks.append(CutoverCheck(
            "new Dovecot has PROXY listeners", passed: !listeners.isEmpty,
            detail: listeners.isEmpty
                ? "no imap-login or pop3-login inet_listener with `haproxy = yes`: the forwarder would have nowhere to send stale "
                    + "clients; add the listeners of docs/admin/forward.md (ports only the old host can reach)"
                : listeners.map(\.description).joined(separator: ", ")))
        if !listeners.isEmpty, !settings.listeners.contains(where: { $0.service == "pop3-login" && $0.haproxy }) {
            checks.append(CutoverCheck(
                "new Dovecot has a POP3 PROXY listener", passed: false,
                detail: "only IMAP listeners take PROXY headers: stale POP3 clients cannot be forwarded (fine if nobody uses POP3)",
                blocking: false))
        }
        let trusted = IPNetwork.list(settings.haproxyTrustedNetworks)
        let isTrusted = trusted.networks.contains { $0.contains(oldAddress) }
        checks.append(CutoverCheck(
            "haproxy_trusted_networks holds the old host", passed: isTrusted,
            detail: isTrusted ? "\(oldAddress) in haproxy_trusted_networks = \(settings.haproxyTrustedNetworks)"
                : "\(oldAddress) is not in haproxy_trusted_networks (= \"\(settings.haproxyTrustedNetworks)\"): Dovecot would refuse "
                    + "the forwarder's PROXY headers; set haproxy_trusted_networks = \(oldAddress)/\(oldAddress.bytes.count * 8)"
                    + (trusted.other.isEmpty ? "" : " (entries not checked: \(trusted.other.joined(separator: " ")))")))
        let login = IPNetwork.list(settings.loginTrustedNetworks)
        let loginTrusted = login.networks.filter { $0.contains(oldAddress) }
        checks.append(CutoverCheck(
            "old host not in login_trusted_networks", passed: loginTrusted.isEmpty,
            detail: loginTrusted.isEmpty ? "login_trusted_networks = \"\(settings.loginTrustedNetworks)\""
                : "\(oldAddress) is in login_trusted_networks (\(loginTrusted.map(\.description).joined(separator: " "))): it could then "
                    + "claim any client address without PROXY and skip the auth penalty for every client it forwards; remove it"))
        return checks
    }

    public static func postfix(_ services: PostfixProxyServices) -> [CutoverCheck] {
        var checks: [CutoverCheck] = []
        let onSMTP = services.smtpPortWithProxy
        if !onSMTP.isEmpty {
            checks.append(CutoverCheck(
                "new Postfix's port 25 takes no PROXY header", passed: false,
                detail: "\(onSMTP.map(\.name).joined(separator: ", ")) reads PROXY headers (smtpd_upstream_proxy_protocol = haproxy): "
                    + "every sending MTA would be refused; set it with -o on the forwarded submission services only"))
        }
        let proxy = services.proxyServices.filter { service in !onSMTP.contains(service) }
        checks.append(CutoverCheck(
            "new Postfix has a PROXY submission service", passed: !proxy.isEmpty,
            detail: proxy.isEmpty
                ? "no smtpd service in master.cf with -o smtpd_upstream_proxy_protocol=haproxy: leave submission out of the "
                    + "forwarder's listeners, or add the services of docs/admin/forward.md"
                : proxy.map(\.name).joined(separator: ", "),
            blocking: false))
        return checks
    }
}
