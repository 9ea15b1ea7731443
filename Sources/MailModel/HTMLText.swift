/// Text placed in the HTML reports (verify, the cutover proof, plan), in element content or
/// in a quoted attribute value. What they show came from outside (subjects, addresses,
/// Message-IDs, log lines, DNS records that senders and zones control), so the five markup
/// characters become entities, and so do the C0 controls, which a browser would drop or
/// show as it likes. The one escaping every report uses.
public enum HTMLText {
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                if scalar.value < 0x20 { out += "&#\(scalar.value);" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}
