/// A configuration file that cannot be used, with the reason in words an admin can act on.
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    public var description: String

    public init(_ description: String) { self.description = description }
}
