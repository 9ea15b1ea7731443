import MailModel

/// Messages whose journaled APPEND was not found on the destination but may still be
/// committed there (a killed run, a timed-out APPEND): by fingerprint, the lowest UIDNEXT
/// noted before one of them was sent. A late commit can only have a UID at or above it.
struct UncertainAppends: Sendable {
    private var marks: [MessageFingerprint: UInt32] = [:]

    init() {}

    var isEmpty: Bool { marks.isEmpty }

    mutating func note(_ fingerprint: MessageFingerprint, mark: UInt32) {
        marks[fingerprint] = min(marks[fingerprint] ?? mark, mark)
    }

    func mark(of fingerprint: MessageFingerprint) -> UInt32? { marks[fingerprint] }
}
