import Foundation

/// The report as JSON: stable keys (sorted), times as RFC 3339 UTC text.
public struct CutoverProofJSONRenderer: Sendable {
    public init() {}

    public func render(_ report: CutoverProofReport) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(report)
    }
}
