import ArgumentParser
import Foundation
import Migration

/// Stop a command with a message on standard error and a documented exit status.
func commandFailure(_ message: String, status: ExitStatus) -> ExitCode {
    FileHandle.standardError.write(Data("mailferry: \(message)\n".utf8))
    return status.exitCode
}
