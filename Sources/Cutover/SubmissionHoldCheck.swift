/// What the hold does with mail a stale client submits to the old host's own smtpd services
/// (587, 465): a service that replaces `smtpd_recipient_restrictions` (Debian's template sets
/// `permit_sasl_authenticated,reject`) never asks the hold's `check_recipient_access`, so
/// such mail is not put in the hold queue. It is still kept out of the frozen store: the
/// domains' `transport_maps` entry sends it to the `mailferry-hold` service, which defers every
/// attempt (a flush too); the switch tries the deferred mail at once over the relay, and a
/// rollback delivers it locally. Tested on Postfix 3.7 (PostfixSwitchTests).
public enum SubmissionHoldCheck {
    /// An informational check naming those services (never a blocker).
    public static func check(_ services: PostfixProxyServices) -> CutoverCheck {
        let own = services.services.filter { $0.options["smtpd_recipient_restrictions"] != nil }
        guard !own.isEmpty else {
            return CutoverCheck("submission during the hold", passed: true,
                                detail: "every smtpd service uses main.cf's smtpd_recipient_restrictions: the hold's HOLD applies to all of them")
        }
        let names = own.map { "\($0.name) (smtpd_recipient_restrictions=\($0.options["smtpd_recipient_restrictions"] ?? ""))" }
        return CutoverCheck("submission during the hold", passed: true, detail: names.joined(separator: ", ")
            + ": mail these accept for the domains during the hold skips smtpd's HOLD; the hold's transport entry defers it "
            + "(mailferry-hold, a flush too), the switch relays it to the new server, a rollback delivers it locally", blocking: false)
    }
}
