import Foundation
import Migration

/// Text and JSON for the cutover commands.
enum CutoverRenderer {
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func time(_ seconds: Double) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }

    static func text(_ report: CutoverPlanReport) -> String {
        var lines = ["Cutover \(report.run) (old host: \(report.oldHost))", "", "Go/no-go checks:"]
        for check in report.checks { lines.append("  [\(check.verdict)] \(check.name): \(check.detail)") }
        lines.append("")
        lines.append(report.steps.isEmpty ? "Nothing left to do." : "Steps still to come:")
        var phase = ""
        for step in report.steps {
            if step.phase != phase {
                phase = step.phase
                lines.append("  \(phase):")
            }
            lines.append("    \(step.step) [\(step.host)]: \(step.summary)")
            for command in step.commands { lines.append("        \(command)") }
        }
        lines.append("")
        lines.append(rollbackText(report))
        lines.append("")
        lines.append(report.go ? "GO: every check passed." : "NO-GO: fix the checks marked NO-GO first.")
        return lines.joined(separator: "\n")
    }

    static func rollbackText(_ report: CutoverPlanReport) -> String {
        if let refusal = report.rollbackRefusal { return "Rollback refused: \(refusal)" }
        guard !report.rollbackSteps.isEmpty else { return "Rollback now: nothing to undo on the hosts (the hold has not begun)." }
        var lines = ["Rollback now would:"]
        for step in report.rollbackSteps {
            lines.append("    \(step.step) [\(step.host)]: \(step.summary)")
            for command in step.commands { lines.append("        \(command)") }
        }
        return lines.joined(separator: "\n")
    }

    static func text(_ status: CutoverStatus) -> String {
        var lines = ["Cutover \(status.run): phase \(status.phase)" + (status.rollbackRequested ? " (rollback requested)" : "")]
        for step in status.finished {
            lines.append("  \(time(step.at))  \(step.step)" + (step.detail.isEmpty ? "" : ": \(step.detail)"))
        }
        if !status.presyncRounds.isEmpty {
            lines.append("  presync rounds copied: \(status.presyncRounds.map(String.init).joined(separator: ", "))")
        }
        if let freeze = status.freezeSeconds { lines.append(String(format: "  freeze window (hold -> relaying to the new server): %.1f s", freeze)) }
        if let interrupted = status.interrupted { lines.append("  interrupted during \(interrupted): `cutover run` resumes it") }
        if let failure = status.failure { lines.append("  FAILED \(failure.step): \(failure.reason)") }
        if let waiting = status.waiting { lines.append("  waiting in \(waiting.step) until \(time(waiting.until)): \(waiting.detail)") }
        if let proof = status.proof { lines.append("  proof: \(proof)") }
        if let source = status.proofSource { lines.append("  proof source: \(source)") }
        lines.append("Next: \(status.next)")
        if let refusal = status.rollbackRefusal {
            lines.append("Rollback: refused: \(refusal)")
        } else if !status.rollbackRequested {
            lines.append("Rollback: " + (status.rollbackSteps.isEmpty ? "nothing to undo" : status.rollbackSteps.joined(separator: ", ")))
        }
        return lines.joined(separator: "\n")
    }

    static func line(_ record: CutoverRecord) -> String {
        let name = record.step?.name ?? "cutover"
        switch record.event {
        case .started: return "\(time(record.at)) \(name): started (\(record.step?.summary ?? ""))"
        case .finished(let result): return "\(time(record.at)) \(name): done" + (result.detail.isEmpty ? "" : " (\(result.detail))")
        case .failed(let reason): return "\(time(record.at)) \(name): FAILED: \(reason)"
        case .notYet(let detail, let retryAfter): return "\(time(record.at)) \(name): not yet (\(detail)); again in \(Int(retryAfter)) s"
        case .rollbackRequested: return "\(time(record.at)) rollback requested"
        case .oldDNSAnswer(let answer): return "\(time(record.at)) \(name): DNS still old: \(answer)"
        }
    }

    static func text(_ outcome: CutoverRunner<ContinuousClock>.Outcome) -> String {
        switch outcome {
        case .finished: return "Cutover finished."
        case .rolledBack: return "Rolled back."
        case .stopped(let step, let reason): return "Stopped at \(step.name): \(reason)\nFix the cause and run `mailferry cutover run` again; it resumes there."
        case .paused(let phase): return "Paused before phase \(phase.rawValue); `mailferry cutover run` continues."
        case .refused(let reason): return "Refused: \(reason)"
        }
    }
}
