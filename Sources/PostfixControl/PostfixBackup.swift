import Foundation

/// What the mirror settings replaced, so `restore` can put back exactly what was there.
public struct PostfixBackup: Hashable, Sendable, Codable {
    /// Unix time of the backup.
    public var createdAt: Double
    /// Each changed parameter's explicit value before, or nil when it was not set in main.cf.
    public var parameters: [String: String?]
    /// Every explicit setting before (`postconf -n`), to verify the restore.
    public var explicitSettings: [String: String]

    public init(createdAt: Double, parameters: [String: String?], explicitSettings: [String: String]) {
        self.createdAt = createdAt
        self.parameters = parameters
        self.explicitSettings = explicitSettings
    }

    static func path(in directory: String) -> String { "\(directory)/backup.json" }

    static func load(from directory: String) throws -> PostfixBackup? {
        guard let data = FileManager.default.contents(atPath: path(in: directory)) else { return nil }
        do {
            return try JSONDecoder().decode(PostfixBackup.self, from: data)
        } catch {
            throw PostfixError("\(path(in: directory)) is unreadable: \(error)")
        }
    }

    func save(to directory: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(self)
        try AtomicFile.write(data, to: Self.path(in: directory), permissions: 0o600)
    }
}
