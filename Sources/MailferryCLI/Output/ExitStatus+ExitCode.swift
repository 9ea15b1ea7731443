import ArgumentParser
import Migration

extension ExitStatus {
    /// The status as ArgumentParser's exit, thrown at the end of a command.
    var exitCode: ExitCode { ExitCode(rawValue) }

    /// The table printed in `--help` (and copied into the README): every code of every command.
    /// Built when ArgumentParser first reads the commands' configurations, which every start
    /// does (not only `--help`): widths are counted in UTF-8 bytes, the meanings being ASCII,
    /// as `String.count` walks every character of the line for every word.
    static let helpTable: String = {
        var lines = ["Exit codes (the same for every command):"]
        for status in ExitStatus.allCases.sorted(by: { $0.rawValue < $1.rawValue }) {
            let code = String(status.rawValue)
            var line = "  " + code + String(repeating: " ", count: 4 - code.utf8.count)
            for word in status.meaning.split(separator: " ") {
                if line.utf8.count + word.utf8.count + 1 > 72 {
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
