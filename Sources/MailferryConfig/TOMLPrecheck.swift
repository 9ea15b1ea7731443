/// What every config text passes before TOMLKit sees it. TOMLKit's toml++ asserts (aborts the
/// process; built with NDEBUG it assumes instead, which is undefined behaviour) on two shapes
/// of malformed text, which it would otherwise report as errors:
/// - a table header whose name starts with anything but a bare-key character or a quote, such
///   as `[é]`, a control character, or a `[` followed by bytes that are not UTF-8;
/// - an array with a `}` where a value belongs: `[}`, `[1, }`, or the same across lines and
///   comments.
/// Such a file is wrong either way; the scan finds these shapes and reports them with their
/// line, and leaves every other error to TOMLKit, whose message has line and column.
enum TOMLPrecheck {
    static func check(_ text: String, origin: String) throws(ConfigError) {
        var scanner = TOMLPrecheckScanner(bytes: Array(text.utf8))
        if let problem = scanner.firstProblem() {
            throw ConfigError("\(origin):\(problem.line): \(problem.message)")
        }
    }
}
