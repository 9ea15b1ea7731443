/// A password or other credential. Its value is reachable only through ``revealed``, which
/// code calls at the one place the secret is sent; every way of printing it (description,
/// debug description, string interpolation, `dump`, reflection) shows `[redacted]`.
public struct Secret: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let value: String

    public init(_ value: String) { self.value = value }

    /// The secret itself. Never log or store what this returns.
    public var revealed: String { value }

    /// True for an empty secret (usually a configuration mistake).
    public var isEmpty: Bool { value.isEmpty }

    public var description: String { "[redacted]" }
    public var debugDescription: String { "Secret([redacted])" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
