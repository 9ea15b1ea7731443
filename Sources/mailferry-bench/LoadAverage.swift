import Foundation

/// The machine's load average (1, 5, 15 minutes) from /proc/loadavg.
enum LoadAverage {
    static func read() -> [Double] {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return [] }
        return text.split(separator: " ").prefix(3).compactMap { Double($0) }
    }

    static func describe() -> String {
        let values = read()
        guard values.count == 3 else { return "unknown" }
        return values.map { BenchTable.format($0, decimals: 2) }.joined(separator: " ")
    }
}
