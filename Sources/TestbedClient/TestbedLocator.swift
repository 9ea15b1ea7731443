import Foundation

/// Finds testbed.json: the path in `MAILFERRY_TESTBED` if set, else the first
/// `.testbed/testbed.json` in the start directory or one of its ancestors (so tests run
/// from any worktree find that worktree's testbed).
public enum TestbedLocator {
    public static let environmentVariable = "MAILFERRY_TESTBED"

    /// The testbed.json to use, or nil if there is none. Throws when `MAILFERRY_TESTBED`
    /// names a file that does not exist: an explicit setting that is wrong is an error.
    public static func find(
        environment: [String: String],
        startingAt directory: String,
        fileExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }
    ) throws -> URL? {
        if let explicit = environment[environmentVariable], !explicit.isEmpty {
            guard fileExists(explicit) else {
                throw TestbedUnavailable(reason: "\(environmentVariable)=\(explicit) does not exist")
            }
            return URL(fileURLWithPath: explicit)
        }
        var dir = URL(fileURLWithPath: directory).standardizedFileURL
        while true {
            let candidate = dir.appendingPathComponent(".testbed/testbed.json").path
            if fileExists(candidate) { return URL(fileURLWithPath: candidate) }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { return nil }
            dir = parent
        }
    }
}
