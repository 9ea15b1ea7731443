/// A duration in a config file or a flag: `"250ms"`, `"30s"`, `"5m"`, `"1.5h"`, `"1d"`, or a
/// number of seconds (`30` or `"30"`). Every duration mailferry reads is parsed here.
public struct ConfigDuration: Decodable, Equatable, Sendable {
    public var duration: Duration

    public init(_ duration: Duration) { self.duration = duration }

    /// The words of every error about a duration.
    public static let expectation = "must be a duration such as \"30s\", \"5m\", \"2h\" or \"1d\""

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let seconds = try? container.decode(Int.self) {
            guard seconds >= 0 else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(Self.expectation) (got \(seconds))"))
            }
            duration = .seconds(seconds)
            return
        }
        guard let text = try? container.decode(String.self) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: Self.expectation))
        }
        guard let parsed = Self.parse(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(Self.expectation) (got \"\(text)\")"))
        }
        duration = parsed
    }

    /// `text` as a duration, or nil when it is not one, negative, or too large to hold.
    public static func parse(_ text: String) -> Duration? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            return Double(text.dropLast(suffix.count)).flatMap { milliseconds($0 * scale) }
        }
        return Double(text).flatMap { milliseconds($0) }
    }

    /// `seconds` as whole milliseconds; nil when negative, not a number, or beyond what
    /// Int64 milliseconds hold (about 292 million years), which Int64(_:) would trap on.
    private static func milliseconds(_ seconds: Double) -> Duration? {
        let value = seconds * 1000
        guard value >= 0, value < 9.2e18 else { return nil }
        return .milliseconds(Int64(value))
    }
}
