/// A correspondent: display name and address.
struct Contact: Sendable {
    let name: String
    let address: String

    var domain: String { String(address.split(separator: "@").last ?? "example.net") }

    static let asciiNames = [
        "Alice Miller", "Bob Stone", "Carol White", "Dan Brown", "Erin Adams", "Frank Moore",
        "Grace Hall", "Heidi Clark", "Ivan Petrov", "Judy Baker", "Mallory King", "Oscar Diaz",
    ]
    /// Names that need 8-bit or encoded headers; the first four fit in ISO-8859-1.
    static let unicodeNames = [
        "Jürgen Müller", "Zoë Ångström", "François Lefèvre", "Søren Kierkegård", "田中 太郎", "Łukasz Żółć",
        "Ελένη Παππά",
    ]

    static func random(_ r: inout SeededRandom, utf8: Bool) -> Contact {
        let name = utf8 ? r.pick(unicodeNames) : r.pick(asciiNames)
        let local = utf8 ? "contact\(r.int(1...99))" : name.lowercased().replacingSpaces(with: ".")
        return Contact(name: name, address: "\(local)@\(r.pick(MessageComposer.domains))")
    }
}

extension String {
    func replacingSpaces(with replacement: String) -> String {
        split(separator: " ").joined(separator: replacement)
    }
}
