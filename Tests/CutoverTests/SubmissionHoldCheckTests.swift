import Cutover
import Testing

/// `cutover plan` names the smtpd services whose mail skips smtpd's HOLD (and says where it goes).
@Suite struct SubmissionHoldCheckTests {
    @Test func servicesWithTheirOwnRecipientRestrictionsAreNamed() {
        let master = """
            smtp       inet  n       -       y       -       -       smtpd
            submission inet  n       -       y       -       -       smtpd -o syslog_name=postfix/submission -o smtpd_sasl_auth_enable=yes -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject
            465        inet  n       -       y       -       -       smtpd -o smtpd_tls_wrappermode=yes
            pickup     unix  n       -       y       60      1       pickup
            """
        let check = SubmissionHoldCheck.check(PostfixProxyServices(masterCF: master, mainDefault: ""))
        #expect(check.passed && !check.blocking)
        #expect(check.detail.hasPrefix("submission (smtpd_recipient_restrictions=permit_sasl_authenticated,reject): "), "\(check.detail)")
        #expect(!check.detail.contains("465"))
        #expect(SubmissionHoldCheck.check(PostfixProxyServices(masterCF: "smtp inet n - y - - smtpd\n", mainDefault: "")).detail
            .hasPrefix("every smtpd service uses main.cf's"))
    }
}
