/// A folder's role (RFC 6154 SPECIAL-USE), used to map Sent to Sent even when the two
/// servers spell it differently ("Sent Items", "Sent Messages").
public enum SpecialUse: String, Hashable, Sendable, CaseIterable {
    case sent = "\\Sent"
    case drafts = "\\Drafts"
    case trash = "\\Trash"
    case junk = "\\Junk"
    case archive = "\\Archive"
    case all = "\\All"
    case flagged = "\\Flagged"

    /// Initialize from a LIST attribute such as `\Sent` (case-insensitive).
    public init?(attribute: String) {
        guard let match = SpecialUse.allCases.first(where: { $0.rawValue.lowercased() == attribute.lowercased() }) else {
            return nil
        }
        self = match
    }

    /// Well-known top-level folder names for each role, in order of preference, for
    /// servers such as Courier that do not announce SPECIAL-USE.
    public static let wellKnownNames: [(name: String, role: SpecialUse)] = [
        ("Sent", .sent), ("Sent Items", .sent), ("Sent Messages", .sent), ("Sent Mail", .sent),
        ("Drafts", .drafts), ("Draft", .drafts),
        ("Trash", .trash), ("Deleted Items", .trash), ("Deleted Messages", .trash),
        ("Junk", .junk), ("Spam", .junk), ("Junk E-mail", .junk), ("Junk Email", .junk),
        ("Archive", .archive), ("Archives", .archive),
    ]

    /// The role a top-level folder name implies, if it is a well-known one (case-insensitive).
    public static func role(forWellKnownName name: String) -> SpecialUse? {
        wellKnownNames.first(where: { $0.name.lowercased() == name.lowercased() })?.role
    }
}
