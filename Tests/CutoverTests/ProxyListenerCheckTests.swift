import Cutover
import Foundation
import Testing

/// `cutover plan`'s PROXY listener checks from fixture outputs of `doveconf -n` (Dovecot
/// 2.3.19, as Debian 12 prints it) and `postconf -M`.
@Suite struct ProxyListenerCheckTests {
    static let doveconf = """
        # 2.3.19.1 (9b53102964): /etc/dovecot/dovecot.conf
        # OS: Linux 6.1.0 x86_64 Debian 12.11
        haproxy_trusted_networks = 192.0.2.10/32 10.1.0.0/16
        listen = *
        login_trusted_networks = 10.0.0.0/8
        protocol imap {
          mail_max_userip_connections = 20
        }
        service imap-login {
          inet_listener imap {
            port = 143
          }
          inet_listener imap_forwarded {
            haproxy = yes
            port = 10143
          }
          inet_listener imaps_forwarded {
            haproxy = yes
            port = 10993
            ssl = yes
          }
        }
        service pop3-login {
          inet_listener pop3_forwarded {
            haproxy = yes
            port = 10110
          }
        }
        service lmtp {
          inet_listener lmtp {
            haproxy = yes
            port = 24
          }
        }
        ssl = required
        """

    static let old = IPNetwork(address: "192.0.2.10")!

    @Test func readsTheListenersAndTheNetworks() {
        let settings = DovecotListeners(doveconf: Self.doveconf)
        #expect(settings.proxyListeners.map(\.description)
                == ["imap-login/imap_forwarded:10143", "imap-login/imaps_forwarded:10993 (ssl)", "pop3-login/pop3_forwarded:10110"])
        #expect(settings.haproxyTrustedNetworks == "192.0.2.10/32 10.1.0.0/16")
        #expect(settings.loginTrustedNetworks == "10.0.0.0/8")
        // Trusted in one protocol is trusted: that value counts too.
        let nested = Self.doveconf.replacingOccurrences(of: "  mail_max_userip_connections = 20\n", with: "  login_trusted_networks = 192.0.2.10\n")
        let both = DovecotListeners(doveconf: nested)
        #expect(both.loginTrustedNetworks == "10.0.0.0/8 192.0.2.10")
        #expect(ProxyListenerCheck.dovecot(both, oldAddress: Self.old).first { $0.name == "old host not in login_trusted_networks" }?.passed == false)
    }

    @Test func theSettingsOfDocsAdminForwardPass() {
        let checks = ProxyListenerCheck.dovecot(DovecotListeners(doveconf: Self.doveconf), oldAddress: Self.old)
        #expect(checks.map(\.verdict) == ["ok", "ok", "ok"], "\(checks)")
        #expect(checks.count == 3)
    }

    @Test func eachMistakeIsABlockerThatSaysWhatToDo() {
        let untrusted = Self.doveconf.replacingOccurrences(of: "haproxy_trusted_networks = 192.0.2.10/32 10.1.0.0/16", with: "haproxy_trusted_networks = 10.1.0.0/16 proxy.example.com")
        var checks = ProxyListenerCheck.dovecot(DovecotListeners(doveconf: untrusted), oldAddress: Self.old)
        let trusted = checks.first { $0.name == "haproxy_trusted_networks holds the old host" }
        #expect(trusted?.passed == false && trusted?.blocking == true)
        #expect(trusted?.detail.contains("set haproxy_trusted_networks = 192.0.2.10/32") == true)
        #expect(trusted?.detail.contains("not checked: proxy.example.com") == true)

        let loginTrusted = Self.doveconf.replacingOccurrences(of: "login_trusted_networks = 10.0.0.0/8\n", with: "login_trusted_networks = 192.0.2.0/24\n")
        checks = ProxyListenerCheck.dovecot(DovecotListeners(doveconf: loginTrusted), oldAddress: Self.old)
        let login = checks.first { $0.name == "old host not in login_trusted_networks" }
        #expect(login?.passed == false && login?.blocking == true)
        #expect(login?.detail.contains("192.0.2.0/24") == true && login?.detail.contains("auth penalty") == true)

        let noProxy = Self.doveconf.replacingOccurrences(of: "haproxy = yes", with: "haproxy = no")
        checks = ProxyListenerCheck.dovecot(DovecotListeners(doveconf: noProxy), oldAddress: Self.old)
        #expect(checks.first?.passed == false && checks.first?.blocking == true)
        #expect(checks.first?.detail.contains("docs/admin/forward.md") == true)
    }

    @Test func imapOnlyIsAWarning() {
        let imapOnly = Self.doveconf.replacingOccurrences(of: "service pop3-login {\n  inet_listener pop3_forwarded {\n    haproxy = yes\n", with: "service pop3-login {\n  inet_listener pop3_forwarded {\n")
        let checks = ProxyListenerCheck.dovecot(DovecotListeners(doveconf: imapOnly), oldAddress: Self.old)
        let pop3 = checks.first { $0.name == "new Dovecot has a POP3 PROXY listener" }
        #expect(pop3?.passed == false && pop3?.blocking == false && pop3?.verdict == "warning")
    }

    static let master = """
        smtp       inet  n       -       y       -       -       smtpd
        pickup     unix  n       -       y       60      1       pickup
        10587      inet  n       -       y       -       -       smtpd -o syslog_name=postfix/submission-forwarded -o smtpd_upstream_proxy_protocol=haproxy -o smtpd_tls_security_level=encrypt
        submission inet  n       -       y       -       -       smtpd -o smtpd_sasl_auth_enable=yes
        """

    @Test func postfixNeedsPROXYOnASubmissionServiceAndNeverOnPort25() {
        var checks = ProxyListenerCheck.postfix(PostfixProxyServices(masterCF: Self.master, mainDefault: ""))
        #expect(checks.map(\.verdict) == ["ok"])
        #expect(checks.first?.detail == "10587")

        let none = Self.master.replacingOccurrences(of: "-o smtpd_upstream_proxy_protocol=haproxy ", with: "")
        checks = ProxyListenerCheck.postfix(PostfixProxyServices(masterCF: none, mainDefault: ""))
        #expect(checks.map(\.verdict) == ["warning"])

        // Set in main.cf, every smtpd inherits it, port 25 included: every sender refused.
        checks = ProxyListenerCheck.postfix(PostfixProxyServices(masterCF: Self.master, mainDefault: "haproxy\n"))
        #expect(checks.map(\.verdict) == ["NO-GO", "ok"])
        #expect(checks.first?.detail.contains("every sending MTA would be refused") == true)
    }
}
