import ArgumentParser
import Migration

extension ExitStatus {
    /// The status as ArgumentParser's exit, thrown at the end of a command.
    var exitCode: ExitCode { ExitCode(rawValue) }

    /// The table printed in `--help` (and copied into the README): every code of every command.
    static let helpTable: String = {
        var lines = ["Exit codes (the same for every command):"]
        for status in ExitStatus.allCases.sorted(by: { $0.rawValue < $1.rawValue }) {
            let code = String(status.rawValue)
            var line = "  " + code + String(repeating: " ", count: 4 - code.count)
            for word in status.meaning.split(separator: " ") {
                if line.count + word.count + 1 > 72 {
                    lines.append(line)
                    line = String(repeating: " ", count: 6)
                } else if !line.hasSuffix(" ") {
                    line += " "
                }
                line += word
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }()
}
