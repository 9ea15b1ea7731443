import Foundation

/// The *prove* phase's report (`cutover-report.json` in the report directory): the
/// timeline of phases, each finished step with its result, the presync deltas, the freeze
/// window, and the proof's verdict.
public struct CutoverReport: Codable, Hashable, Sendable {
    public var steps: [CutoverStatus.Step]
    public var timeline: [CutoverStatus.PhaseStart]
    public var presyncRounds: [Int]
    public var freezeSeconds: Double?
    public var passed: Bool
    public var proof: String

    public init(records: [CutoverRecord], passed: Bool, proof: String) {
        let state = CutoverState(records: records)
        let times = Dictionary(records.compactMap { record -> (CutoverStep, Double)? in
            guard let step = record.step, case .finished = record.event else { return nil }
            return (step, record.at)
        }, uniquingKeysWith: { _, last in last })
        steps = state.finished.map {
            CutoverStatus.Step(step: $0.step.name, phase: $0.step.phase.rawValue, at: times[$0.step] ?? 0, detail: $0.result.detail,
                               copied: $0.result.copied)
        }
        timeline = state.phaseStarts.map { CutoverStatus.PhaseStart(phase: $0.phase.rawValue, at: $0.at) }
        presyncRounds = state.presyncRounds.map(\.copied)
        freezeSeconds = state.freezeSeconds
        self.passed = passed
        self.proof = proof
    }

    /// Writes the report as `cutover-report.json` in `directory` (created if needed),
    /// atomically; returns the path.
    @discardableResult
    public func write(to directory: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent("cutover-report.json")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
        return path
    }
}
