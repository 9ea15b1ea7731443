import MailferryConfig

extension ConfigFile {
    /// Reads and checks the file as its kind's loader does (unknown settings are errors);
    /// returns the kind.
    public static func check(path: String) throws(ConfigError) -> ConfigFile {
        let text = try ConfigDecoder.read(path: path)
        let kind = try kind(of: text, origin: path)
        try kind.check(text, origin: path)
        return kind
    }

    /// Checks `text` as this kind's loader does (every kind through ``ConfigDecoder``). Here
    /// rather than beside the kinds because the mirror's check builds the relay's types.
    public func check(_ text: String, origin: String) throws(ConfigError) {
        switch self {
        case .migration: _ = try MigrationConfig.parse(text, origin: origin)
        case .mirror: _ = try MirrorConfiguration.parse(text, origin: origin)
        case .forward: _ = try ForwardSettings.parse(text, origin: origin)
        }
    }
}
