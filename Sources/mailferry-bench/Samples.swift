import Foundation

/// Repeated measurements of one quantity. The machine is shared, so a benchmark reports the
/// minimum (closest to the tool's own cost) and the median (what a user would see).
struct Samples {
    private(set) var values: [Double] = []

    init(_ values: [Double] = []) { self.values = values }

    mutating func append(_ value: Double) { values.append(value) }

    var isEmpty: Bool { values.isEmpty }
    var min: Double { values.min() ?? .nan }
    var max: Double { values.max() ?? .nan }

    var median: Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// "1.23 / 1.31": minimum and median with `decimals` digits.
    func minMedian(decimals: Int = 2) -> String {
        guard !values.isEmpty else { return "-" }
        return BenchTable.format(min, decimals: decimals) + " / " + BenchTable.format(median, decimals: decimals)
    }
}
