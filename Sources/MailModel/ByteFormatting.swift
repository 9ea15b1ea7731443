/// Human sizes, rates and durations for progress lines and summaries.
public enum ByteFormatting {
    /// `512 B`, `12.3 KB`, `130.2 MB`, `1.4 GB` (powers of 1000, as disks and links are sold).
    public static func size(_ bytes: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : "\(oneDecimal(value)) \(units[unit])"
    }

    public static func rate(bytes: Int, seconds: Double) -> String {
        guard seconds > 0 else { return "-" }
        return size(Int(Double(bytes) / seconds)) + "/s"
    }

    /// `0:07`, `12:34`, `1:02:03`.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "-" }
        let total = Int(seconds.rounded())
        let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
        let two = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
        return hours > 0 ? "\(hours):\(two(minutes)):\(two(secs))" : "\(minutes):\(two(secs))"
    }

    public static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// `1.5 KB`-style input for `--bandwidth`: a number with an optional K/M/G suffix (powers of 1000).
    public static func parseSize(_ text: String) -> Int? {
        var digits = text.trimmingCharacters(in: " ").uppercased()
        if digits.hasSuffix("/S") { digits.removeLast(2) }
        if digits.hasSuffix("B") { digits.removeLast() }
        var multiplier = 1.0
        if let last = digits.last, let factor = ["K": 1e3, "M": 1e6, "G": 1e9][String(last)] {
            multiplier = factor
            digits.removeLast()
        }
        guard let value = Double(digits), value > 0 else { return nil }
        return Int(value * multiplier)
    }
}

extension String {
    /// The string without leading and trailing characters from `set` (Foundation's variant
    /// takes a CharacterSet, which the L0 model avoids).
    public func trimmingCharacters(in set: String) -> String {
        let characters = Set(set)
        var slice = self[...]
        while let first = slice.first, characters.contains(first) { slice.removeFirst() }
        while let last = slice.last, characters.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
