/// A body section (RFC 3501 §6.4.5): `section-spec = section-msgtext / (section-part ["." section-text])`.
/// The empty section (`BODY[]`) is the whole message.
public struct SectionSpecifier: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// The whole message or part (`[]`, `[1.2]`).
        case complete
        case header
        case headerFields([String])
        case headerFieldsNot([String])
        case text
        /// Only after a part number (`[1.MIME]`).
        case mime
    }

    /// `section-part = nz-number *("." nz-number)`; empty for the top level.
    public var part: [Int]
    public var kind: Kind

    public init(part: [Int] = [], kind: Kind = .complete) {
        self.part = part
        self.kind = kind
    }

    /// `[]`: the complete message, byte for byte.
    public static let complete = SectionSpecifier()
    /// `[HEADER]`.
    public static let header = SectionSpecifier(kind: .header)
    /// `[TEXT]`.
    public static let text = SectionSpecifier(kind: .text)

    /// The text between the brackets, e.g. `1.2.HEADER.FIELDS (Subject From)`.
    public var description: String {
        var pieces: [String] = part.map(String.init)
        switch kind {
        case .complete: break
        case .header: pieces.append("HEADER")
        case .headerFields(let fields): pieces.append("HEADER.FIELDS (\(fields.joined(separator: " ")))")
        case .headerFieldsNot(let fields): pieces.append("HEADER.FIELDS.NOT (\(fields.joined(separator: " ")))")
        case .text: pieces.append("TEXT")
        case .mime: pieces.append("MIME")
        }
        return pieces.joined(separator: ".")
    }
}
