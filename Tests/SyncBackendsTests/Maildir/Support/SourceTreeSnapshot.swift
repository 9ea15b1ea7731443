import Foundation

/// Every path under a directory with its size, mtime and content: two snapshots are equal
/// only if nothing was created, removed, renamed, written or touched.
struct SourceTreeSnapshot: Equatable, CustomStringConvertible {
    struct Entry: Equatable {
        var size: Int
        var modified: Double
        var content: Data?
    }

    var entries: [String: Entry] = [:]

    init(_ root: String) throws {
        let walker = FileManager.default.enumerator(atPath: root)
        while let relative = walker?.nextObject() as? String {
            let path = root + "/" + relative
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            let isFile = (attributes[.type] as? FileAttributeType) == .typeRegular
            entries[relative] = Entry(
                size: (attributes[.size] as? Int) ?? 0, modified: (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0,
                content: isFile ? FileManager.default.contents(atPath: path) : nil)
        }
    }

    var description: String { entries.keys.sorted().joined(separator: "\n") }
}
