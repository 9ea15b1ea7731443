import MailModel

/// A search criterion (RFC 3501 §6.4.4 `search-key`, RFC 7162 `MODSEQ`).
public indirect enum SearchKey: Hashable, Sendable {
    case all
    case uid(UIDSet)
    case seen, unseen, answered, unanswered, flagged, unflagged, deleted, undeleted, draft, undraft
    case keyword(Flag)
    case unkeyword(Flag)
    /// INTERNALDATE on or after this day.
    case since(SearchDate)
    /// INTERNALDATE before this day.
    case before(SearchDate)
    case on(SearchDate)
    case larger(Int)
    case smaller(Int)
    /// `HEADER field-name string`: the header contains the string (empty string: present).
    case header(String, String)
    /// `MODSEQ n`: changed at or after this mod-sequence (needs CONDSTORE).
    case modSeq(ModSeq)
    case not(SearchKey)
    case or(SearchKey, SearchKey)
    /// `(key key ...)`: all of them.
    case and([SearchKey])
}

/// A day for SEARCH (`date-text = date-day "-" date-month "-" date-year`).
public struct SearchDate: Hashable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), (1...31).contains(day), (1...9999).contains(year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    public var description: String { "\(day)-\(SearchDate.months[month - 1])-\(year)" }
}
