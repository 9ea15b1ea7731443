/// What one log line says, reduced to what the proof needs. Lines of no interest (TLS,
/// statistics, warnings) are `.other`; they still count as read.
public enum MailLogEvent: Hashable, Sendable {
    /// smtpd `connect from NAME[ADDR]`.
    case connect(client: String)
    /// smtpd/postscreen/cleanup refused something: `NOQUEUE: reject: RCPT from …` (queueID nil),
    /// or `QID: reject: …` / `QID: milter-reject: …`. `stage` is RCPT, DATA, END-OF-MESSAGE,
    /// header, body, …
    case reject(queueID: String?, stage: String, recipient: String?, text: String)
    /// smtpd/cleanup `HOLD` action: `NOQUEUE: hold: RCPT from …` or `QID: hold: header …`.
    case hold(queueID: String?, text: String)
    /// cleanup `QID: discard: …` (a header/body check dropped the message after a 250).
    case discard(queueID: String, text: String)
    /// smtpd `QID: client=NAME[ADDR]`: a queue file was opened for a message from the network.
    case client(queueID: String, client: String)
    /// pickup `QID: uid=N from=<x>`: a locally submitted message.
    case pickup(queueID: String, sender: String)
    /// cleanup `QID: message-id=<x>` (empty when the header is missing).
    case messageID(queueID: String, messageID: String)
    /// qmgr `QID: from=<x>, size=N, nrcpt=N (queue active)`: the message was accepted and is queued.
    case queued(queueID: String, sender: String, size: Int?, recipients: Int?)
    /// qmgr `QID: from=<x>, status=expired, returned to sender`.
    case expired(queueID: String)
    /// qmgr or postsuper `QID: removed`: the queue file is gone.
    case removed(queueID: String, byAdmin: Bool)
    /// postsuper `QID: placed on hold` / `QID: released from hold`.
    case placedOnHold(queueID: String)
    case releasedFromHold(queueID: String)
    /// A delivery agent's attempt for one recipient.
    case delivery(queueID: String, PostfixDelivery)
    /// bounce `QID: sender non-delivery notification: NEWQID` (and delay/success notices).
    case notification(queueID: String, newQueueID: String, kind: String)
    /// Dovecot LMTP/LDA/Sieve stored a message: `lmtp(user)<pid><SESSION>: Info: msgid=<x>: saved mail to FOLDER`.
    case dovecotSaved(user: String, session: String, messageID: String, folder: String)
    /// Dovecot did something else final with it (Sieve `forwarded to`, `discard`), or failed to store it.
    case dovecotOther(user: String, session: String, messageID: String, action: String, failed: Bool)
    /// A Dovecot login process let a user in: `imap-login: Login: user=<U>, method=PLAIN,
    /// rip=R, lip=L, ...` (`pop3-login`, `submission-login` too; `service` is `imap`, `pop3`...).
    /// `local` is the address the client connected to: on a PROXY listener, the one the
    /// header names. Nil when the admin's `login_log_format_elements` left `lip=` out.
    case login(service: String, user: String, remote: String, local: String?)
    /// The logging system says it dropped lines (journald's `Suppressed N messages`, rsyslog's
    /// rate limiting): whatever happened then is unknown, and the proof fails.
    case suppressed(text: String)
    case other
}
