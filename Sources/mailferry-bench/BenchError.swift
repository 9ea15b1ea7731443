/// A benchmark that cannot run: a missing program, a failed helper, a testbed without what it needs.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
