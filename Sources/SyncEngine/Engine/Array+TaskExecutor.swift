extension Array where Element == any TaskExecutor {
    /// The executor for the `index`th worker of a run that shares these in turn (the sync's
    /// folder workers, verify's two sides); `nil`, the default executor, when there are none.
    public func preferred(for index: Int) -> (any TaskExecutor)? {
        isEmpty ? nil : self[index % count]
    }
}
