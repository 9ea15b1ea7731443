import Foundation

/// POSIX shell quoting, for the one place a command line must pass through a shell: the
/// remote side of `ssh`, which joins its arguments and hands them to the login shell.
public enum ShellQuote {
    /// `word` unchanged when it holds only characters no shell treats specially, else in
    /// single quotes with each `'` written as `'\''`.
    public static func quote(_ word: String) -> String {
        let plain = word.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".", "/", ":", ",", "=", "@", "%", "+": true
            default: false
            }
        }
        if plain && !word.isEmpty { return word }
        return "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
