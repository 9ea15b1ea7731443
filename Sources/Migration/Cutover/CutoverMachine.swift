import MailferryConfig

/// The cutover's transition logic, pure: from the journal's state (and the wall clock, for
/// waits) to the next action. The runner performs actions and records their events; this
/// type never does I/O, so it is model-tested with kills at every point.
public struct CutoverMachine: Hashable, Sendable {
    /// Presync stops once a round copied at most this many messages...
    public var smallDelta: Int
    /// ...or after this many rounds.
    public var maxRounds: Int

    public init(smallDelta: Int = CutoverConfig.defaultSmallDelta, maxRounds: Int = CutoverConfig.defaultMaxRounds) {
        self.smallDelta = smallDelta
        self.maxRounds = max(1, maxRounds)
    }

    /// The forward steps before and after the presync rounds.
    static let beforePresync: [CutoverStep] = [.closeNewLogins, .relayNewToOld, .checkMirror, .testRelay]
    static let afterPresync: [CutoverStep] = [
        .stopOldIMAP, .enterHold, .verifyHold, .purgeMirrorCopies, .quietStore, .finalSync, .verify,
        .markNewMailboxes, .deliverLocallyOnNew, .relayOldToNew, .openLogins, .startForward, .drainCheck, .prove, .stopForward,
    ]

    /// What to do next, given the journal's state and the wall-clock time `now`.
    public func next(_ state: CutoverState, now: Double) -> CutoverAction {
        let step: CutoverStep?
        if state.rollbackRequested {
            step = rollbackSteps(state).first { !state.isFinished($0) }
            guard let step else { return .rolledBack }
            return action(for: step, state: state, now: now)
        }
        step = nextForward(state)
        guard let step else { return .finished }
        return action(for: step, state: state, now: now)
    }

    private func action(for step: CutoverStep, state: CutoverState, now: Double) -> CutoverAction {
        if let inFlight = state.inFlight, inFlight.step == step, !step.isIdempotent, let token = inFlight.token {
            return .reconcile(step, token: token)
        }
        if let waiting = state.waiting, waiting.step == step, now < waiting.until {
            return .wait(step, until: waiting.until, detail: waiting.detail)
        }
        return .run(step)
    }

    /// The first forward step not finished yet; presync rounds repeat until one copies at
    /// most `smallDelta` messages or `maxRounds` ran.
    func nextForward(_ state: CutoverState) -> CutoverStep? {
        if let step = Self.beforePresync.first(where: { !state.isFinished($0) }) { return step }
        let rounds = state.presyncRounds
        if let last = rounds.last {
            if last.copied > smallDelta && rounds.count < maxRounds { return .presync(round: last.round + 1) }
        } else {
            return .presync(round: 1)
        }
        return Self.afterPresync.first { !state.isFinished($0) }
    }

    /// Why a rollback is refused now, or nil when it is possible.
    public func rollbackRefusal(_ state: CutoverState) -> String? {
        if state.startedBeforeRollback.contains(.openLogins) {
            return "the cutover reached open: users may have changed mail on the new store since, and sync has no "
                + "Dovecot -> Courier path to carry those changes back, so a rollback would lose them"
        }
        return nil
    }

    /// The rollback's steps, from how far the cutover got before it was requested. The old
    /// server holds before the new one relays back (else mail ping-pongs between them until
    /// `hopcount_limit`); mail the new side delivered since the switch goes back to the old
    /// store before the old Postfix releases its hold; old IMAP starts last.
    public func rollbackSteps(_ state: CutoverState) -> [CutoverStep] {
        let started = state.startedBeforeRollback
        let switched = started.contains(.deliverLocallyOnNew) || started.contains(.relayOldToNew)
        let held = switched || !started.isDisjoint(with: [.stopOldIMAP, .enterHold, .verifyHold, .purgeMirrorCopies, .quietStore,
                                                           .finalSync, .verify])
        if switched {
            // Clients forwarded to the new store must not keep changing what goes back.
            let forward: [CutoverStep] = started.contains(.startForward) ? [.stopForward] : []
            return forward + [.rollbackHoldOld, .rollbackRelayNewToOld, .rollbackCopyBack, .rollbackRestoreOld, .rollbackStartOldIMAP]
        }
        if held { return [.rollbackRestoreOld, .rollbackStartOldIMAP] }
        return []
    }

    /// Every step the forward run would take from `state` on, assuming each presync round
    /// after the ones recorded copies little (for `cutover plan`).
    public func remainingForward(_ state: CutoverState) -> [CutoverStep] {
        var steps = Self.beforePresync.filter { !state.isFinished($0) }
        let rounds = state.presyncRounds
        if rounds.isEmpty { steps.append(.presync(round: 1)) } else if nextForward(state).map({
            if case .presync = $0 { return true } else { return false }
        }) == true {
            steps.append(.presync(round: rounds.count + 1))
        }
        return steps + Self.afterPresync.filter { !state.isFinished($0) }
    }
}

/// The next thing the runner does.
public enum CutoverAction: Hashable, Sendable {
    /// Record `started`, perform the step, record how it ended.
    case run(CutoverStep)
    /// A non-idempotent step started and never ended: ask whether attempt `token` happened
    /// before running it again.
    case reconcile(CutoverStep, token: String)
    /// A waiting step is checked again at `until` (wall-clock seconds).
    case wait(CutoverStep, until: Double, detail: String)
    /// Every forward step finished.
    case finished
    /// Every rollback step finished.
    case rolledBack
}
