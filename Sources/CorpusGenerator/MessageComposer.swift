/// Composes the exact bytes of a planned message, as a real mailbox holds them: LF line
/// ends (Maildir stores LF), Postfix trace headers on received mail, none on sent mail,
/// and the edge case the plan asks for. Deterministic: the same plan gives the same bytes.
public struct MessageComposer: Sendable {
    /// The account's login name and domain (`tbbench`, `old.test`).
    public let user: String
    public let domain: String
    private let seed: UInt64

    public init(user: String, domain: String, seed: UInt64) {
        self.user = user
        self.domain = domain
        self.seed = seed ^ SeededRandom.hash(user) ^ 0xC0FF_EE00
    }

    static let domains = ["example.net", "example.org", "example.com", "lists.example.org"]

    public func compose(_ plan: MessagePlan, role: CorpusFolder.Role) -> [UInt8] {
        var r = SeededRandom(seed: seed).derived(UInt64(plan.index))
        let edges = plan.edgeCases
        let contact = Contact.random(&r, utf8: edges.contains(.eightBitHeaders) || edges.contains(.encodedWordHeaders))
        let me = Contact(name: user.capitalizedFirst, address: "\(user)@\(domain)")
        let outgoing = role == .sent || role == .drafts
        let (from, to) = outgoing ? (me, contact) : (contact, me)
        let date = CivilDate.rfc5322(plan.date, zoneMinutes: plan.zoneMinutes)
        var subject = TextSource.subject(&r, utf8: edges.contains(.eightBitHeaders) || edges.contains(.encodedWordHeaders))
        if edges.contains(.foldedHeader) { subject += " " + TextSource.words(&r, count: 30) }

        var out: [UInt8] = []
        out.reserveCapacity(plan.targetSize + 1024)
        func line(_ text: String) { out.append(contentsOf: text.utf8); out.append(0x0A) }
        if !outgoing {
            line("Return-Path: <\(from.address)>")
            line("Delivered-To: \(to.address)")
            line("Received: from mail.\(from.domain) (mail.\(from.domain) [192.0.2.\(r.int(1...254))])")
            line("\tby mx.\(domain) (Postfix) with ESMTP id \(String(r.next() & 0xFF_FFFF_FFFF, radix: 16, uppercase: true))")
            line("\tfor <\(to.address)>; \(date)")
        }
        line("Date: \(date)")
        if edges.contains(.encodedWordHeaders) {
            line("From: \(HeaderEncoding.qEncodedLatin1(from.name) ?? HeaderEncoding.bEncodedUTF8(from.name)) <\(from.address)>")
        } else {
            line("From: \(from.name) <\(from.address)>")
        }
        line("To: \(to.name) <\(to.address)>")
        if edges.contains(.encodedWordHeaders) {
            line("Subject: \(HeaderEncoding.bEncodedUTF8(subject))")
        } else {
            line("Subject: " + HeaderEncoding.fold(subject, firstLineUsed: 9))
        }
        if let id = plan.messageID { line("Message-ID: <\(id)>") }
        line("MIME-Version: 1.0")
        if role == .junk { line("X-Spam-Flag: YES") }

        let latin1 = edges.contains(.latin1Body)
        let charset = latin1 ? "iso-8859-1" : "utf-8"
        if edges.contains(.emptyBody) {
            line("Content-Type: text/plain; charset=us-ascii")
            out.append(0x0A)
            return out
        }
        if plan.targetSize >= 51_200 {
            let boundary = "=_mf_\(String(r.next(), radix: 16))"
            line("Content-Type: multipart/mixed; boundary=\"\(boundary)\"")
            out.append(0x0A)
            line("This is a multi-part message in MIME format.")
            out.append(0x0A)
            line("--\(boundary)")
            line("Content-Type: text/plain; charset=\(charset)")
            line("Content-Transfer-Encoding: 8bit")
            out.append(0x0A)
            TextSource.appendBody(&r, to: &out, bytes: r.int(400...3_000), latin1: latin1)
            out.append(0x0A)
            line("--\(boundary)")
            let name = "\(r.pick(["report", "scan", "photos", "invoice", "slides"]))-\(plan.index).\(r.pick(["pdf", "zip", "jpg"]))"
            line("Content-Type: application/octet-stream; name=\"\(name)\"")
            line("Content-Disposition: attachment; filename=\"\(name)\"")
            line("Content-Transfer-Encoding: base64")
            out.append(0x0A)
            let remaining = max(0, plan.targetSize - out.count - boundary.count - 8)
            Base64Lines.append(randomBytes: remaining / 77 * 57, from: &r, to: &out)
            line("--\(boundary)--")
        } else {
            line("Content-Type: text/plain; charset=\(charset)")
            line("Content-Transfer-Encoding: 8bit")
            out.append(0x0A)
            TextSource.appendBody(&r, to: &out, bytes: max(64, plan.targetSize - out.count), latin1: latin1)
        }
        if edges.contains(.noFinalNewline), out.last == 0x0A { out.removeLast() }
        return out
    }
}
