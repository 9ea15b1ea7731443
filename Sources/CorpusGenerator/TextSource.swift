/// Plausible text for subjects and bodies, from fixed word lists.
enum TextSource {
    static let words = """
        the a meeting report budget project review plan update schedule please attached find \
        thanks regards team server migration mailbox folder quarterly invoice contract draft \
        final notes agenda call tomorrow monday friday office customer support ticket release \
        version backup network storage account password policy holiday photos family dinner \
        weekend trip flight hotel booking confirmation order shipment delivery receipt payment \
        question answer issue problem solution test results data analysis summary minutes \
        decision action items deadline next week month year new old list subscribe digest
        """.split(separator: " ").map(String.init)

    static let unicodeSubjects = [
        "Grüße aus München", "Réunion de l'équipe à 14h", "会議の議事録", "Смета на ремонт",
        "Ångström-Rechnung für März", "Ελληνικά νέα", "Tschüß und danke 👋",
    ]

    /// Latin-1 text for 8bit ISO-8859-1 bodies: each string is Latin-1 representable.
    static let latin1Phrases = ["Grüße", "Café", "naïve", "Ærø", "señor", "Übermäßig", "garçon", "déjà vu", "£5"]

    static func subject(_ r: inout SeededRandom, utf8: Bool) -> String {
        if utf8 { return r.pick(unicodeSubjects) }
        let prefix = r.pick(["", "", "", "Re: ", "Fwd: ", "[list] "])
        return prefix + words(&r, count: r.int(2...7)).capitalizedFirst
    }

    static func words(_ r: inout SeededRandom, count: Int) -> String {
        (0..<count).map { _ in r.pick(words) }.joined(separator: " ")
    }

    /// Appends lines of at most 72 characters until `bytes` bytes are added.
    static func appendBody(_ r: inout SeededRandom, to out: inout [UInt8], bytes: Int, latin1: Bool) {
        let end = out.count + bytes
        var column = 0
        while out.count < end {
            if latin1, r.chance(0.05) {
                for scalar in r.pick(latin1Phrases).unicodeScalars { out.append(UInt8(scalar.value)) }
                column += 6
            } else {
                let word = r.pick(words)
                out.append(contentsOf: word.utf8)
                column += word.utf8.count
            }
            if column >= 64 || out.count >= end {
                out.append(0x0A)
                column = 0
            } else {
                out.append(0x20)
                column += 1
            }
        }
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
