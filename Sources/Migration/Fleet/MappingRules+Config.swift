import MailferryConfig
import SyncEngine

extension MappingRules {
    /// The config's `[folders]` rules, as the sync, the cutover's passes and the plan's
    /// folder check all map folders.
    public init(_ config: FolderRulesConfig?) {
        self.init(renames: config?.map ?? [], patterns: config?.mapRegex ?? [], include: config?.include ?? [], exclude: config?.exclude ?? [])
    }
}
