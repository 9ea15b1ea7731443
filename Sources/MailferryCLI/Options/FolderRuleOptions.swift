import ArgumentParser
import MailferryConfig
import Migration
import SyncEngine

/// Folder rules, shared by `sync` and `verify` (verify must map folders exactly as sync did).
struct FolderRuleOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Copy a source folder into another destination folder: 'INBOX.Old Stuff=Archive/Old' (repeatable; \\= for a literal =).",
        valueName: "source=destination"))
    var map: [String] = []

    @Option(help: ArgumentHelp(
        "Rename by regular expression on the whole source name: 'INBOX\\.Lists\\.(.*)=Lists/$1' (repeatable).",
        valueName: "regex=template"))
    var mapRegex: [String] = []

    @Option(help: ArgumentHelp("Only source folders whose whole name matches this regular expression (repeatable).", valueName: "regex"))
    var include: [String] = []

    @Option(help: ArgumentHelp("Leave out source folders whose whole name matches this regular expression (repeatable).", valueName: "regex"))
    var exclude: [String] = []

    /// The rules: command-line rules first, then the config file's.
    func rules(config: FolderRulesConfig?) -> MappingRules {
        MappingRules(
            renames: map + (config?.map ?? []), patterns: mapRegex + (config?.mapRegex ?? []),
            include: include + (config?.include ?? []), exclude: exclude + (config?.exclude ?? []))
    }
}
