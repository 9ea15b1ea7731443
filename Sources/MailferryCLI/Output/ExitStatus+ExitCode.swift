import ArgumentParser
import Migration

extension ExitStatus {
    /// The status as ArgumentParser's exit, thrown at the end of a command.
    var exitCode: ExitCode { ExitCode(rawValue) }
}
