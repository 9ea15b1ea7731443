public import MailModel

/// The flag letters of a Maildir `:2,` info section, kept in ASCII order as the Maildir
/// specification requires ("Flags must be stored in ASCII order").
///
/// Uppercase letters are system flags (`D F R S T`, and `P` "passed", which IMAP does not
/// show but Dovecot keeps); lowercase `a`–`z` are Dovecot keyword indexes into
/// `dovecot-keywords`.
public struct MaildirFlagLetters: Hashable, Sendable, CustomStringConvertible {
    /// Sorted, without duplicates.
    public private(set) var letters: [UInt8]

    /// Dovecot stores at most this many keywords in file names (`a`…`z`).
    public static let maximumKeywordIndexes = 26

    /// Flag letters are ASCII; other bytes are dropped. Sorting the bytes of a multi-byte
    /// UTF-8 character apart would leave invalid UTF-8, written back as U+FFFD.
    public init<Letters: Sequence>(letters: Letters) where Letters.Element == UInt8 {
        self.letters = Array(Set(letters.filter { $0 < 0x80 })).sorted()
    }

    public init(_ string: String) {
        self.init(letters: string.utf8)
    }

    /// Build from IMAP system flags, Dovecot keyword indexes (0–25) and other letters to keep
    /// (such as `P`). Indexes outside 0–25 are a programming error.
    public init(systemFlags: Set<Flag>, keywordIndexes: [Int] = [], otherLetters: [UInt8] = []) {
        var all = otherLetters.filter { !MaildirFlagLetters.isKeywordLetter($0) }
        for flag in systemFlags {
            if let letter = MaildirFlagLetters.letter(for: flag) { all.append(letter) }
        }
        for index in keywordIndexes {
            precondition((0..<Self.maximumKeywordIndexes).contains(index), "keyword index \(index) out of range")
            all.append(UInt8(ascii: "a") + UInt8(index))
        }
        self.init(letters: all)
    }

    public static let empty = MaildirFlagLetters(letters: [])

    /// The system flags among the letters (`\Recent` is never stored).
    public var systemFlags: Set<Flag> {
        var flags: Set<Flag> = []
        for letter in letters {
            if let flag = MaildirFlagLetters.flag(for: letter) { flags.insert(flag) }
        }
        return flags
    }

    /// Keyword indexes (0 for `a`, 25 for `z`).
    public var keywordIndexes: [Int] {
        letters.filter(MaildirFlagLetters.isKeywordLetter).map { Int($0 - UInt8(ascii: "a")) }
    }

    /// Letters that are neither IMAP system flags nor keyword letters (e.g. `P`).
    public var otherLetters: [UInt8] {
        letters.filter { MaildirFlagLetters.flag(for: $0) == nil && !MaildirFlagLetters.isKeywordLetter($0) }
    }

    /// The same letters without keyword letters.
    public var withoutKeywords: MaildirFlagLetters {
        MaildirFlagLetters(letters: letters.filter { !MaildirFlagLetters.isKeywordLetter($0) })
    }

    public var description: String { String(decoding: letters, as: UTF8.self) }

    public static func isKeywordLetter(_ letter: UInt8) -> Bool {
        letter >= UInt8(ascii: "a") && letter <= UInt8(ascii: "z")
    }

    public static func letter(for flag: Flag) -> UInt8? {
        switch flag {
        case .draft: return UInt8(ascii: "D")
        case .flagged: return UInt8(ascii: "F")
        case .answered: return UInt8(ascii: "R")
        case .seen: return UInt8(ascii: "S")
        case .deleted: return UInt8(ascii: "T")
        default: return nil
        }
    }

    public static func flag(for letter: UInt8) -> Flag? {
        switch letter {
        case UInt8(ascii: "D"): return .draft
        case UInt8(ascii: "F"): return .flagged
        case UInt8(ascii: "R"): return .answered
        case UInt8(ascii: "S"): return .seen
        case UInt8(ascii: "T"): return .deleted
        default: return nil
        }
    }
}
