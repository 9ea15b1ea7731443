/// A file the relay keeps next to the spool (the tag key, the late-failure log) cannot be
/// made, read or written.
public struct RelayFileError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
