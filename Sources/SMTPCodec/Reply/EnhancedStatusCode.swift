/// An RFC 3463 enhanced status code, `class.subject.detail` (e.g. `5.1.1`).
public struct EnhancedStatusCode: Hashable, Sendable, CustomStringConvertible {
    /// 2 (success), 4 (persistent transient failure) or 5 (permanent failure).
    public let statusClass: Int
    public let subject: Int
    public let detail: Int

    /// Initialize from the three numbers.
    public init(_ statusClass: Int, _ subject: Int, _ detail: Int) {
        self.statusClass = statusClass
        self.subject = subject
        self.detail = detail
    }

    /// Parse `d.ddd.ddd` (class 2, 4 or 5; subject and detail 0-999 without leading zeros beyond one digit).
    public init?(_ text: Substring) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCIIDigitCharacter) }),
              let statusClass = Int(parts[0]), [2, 4, 5].contains(statusClass), parts[0].count == 1,
              let subject = Int(parts[1]), let detail = Int(parts[2])
        else { return nil }
        self.init(statusClass, subject, detail)
    }

    public var description: String { "\(statusClass).\(subject).\(detail)" }
}

extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
