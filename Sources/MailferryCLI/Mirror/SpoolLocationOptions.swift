import ArgumentParser
import MailSpool
import Migration

/// `--config FILE` or `--spool DIR`: where the read-only tools find the mirror's spool.
struct SpoolLocationOptions: ParsableArguments {
    @Option(name: .long, help: "The mirror configuration (TOML); its [spool] directory is read.")
    var config: String?

    @Option(name: .long, help: "The spool directory, instead of --config.")
    var spool: String?

    func open() throws -> MailSpool {
        let directory: String
        if let spool {
            directory = spool
        } else if let config {
            directory = try MirrorConfiguration.load(path: config).spoolDirectory
        } else {
            throw ValidationError("give --config FILE or --spool DIR")
        }
        return try MailSpool(directory: directory)
    }
}
