import SyncEngine
import Testing

/// An account's outcome from its folders: which failures are the folder's and which the
/// server's (the exit codes 1 and 5 come from this).
@Suite struct AccountReportTests {
    static func report(folderErrors: [StoreError.Kind?]) -> AccountReport {
        var report = AccountReport(account: "alice", source: "s", destination: "d")
        report.folders = folderErrors.enumerated().map { index, kind in
            var folder = FolderReport(sourceFolder: "F\(index)", destinationFolder: "F\(index)")
            if let kind {
                folder.error = "\(kind.rawValue) error"
                folder.errorKind = kind
            }
            return folder
        }
        return report
    }

    @Test(arguments: [
        ([nil, nil] as [StoreError.Kind?], AccountReport.Outcome.complete),
        ([nil, .folder], .partial),
        ([nil, .other], .partial),
        ([nil, .connection], .connectionFailed),
        ([.protocolViolation, nil], .connectionFailed),
        ([.folder, .security], .connectionFailed),
    ])
    func aFolderGivenUpBecauseOfTheServerFailsTheAccountsConnection(_ kinds: [StoreError.Kind?], _ expected: AccountReport.Outcome) {
        #expect(Self.report(folderErrors: kinds).outcome == expected)
    }

    @Test func aProtocolViolationThatStoppedTheAccountIsAConnectionFailure() {
        var report = AccountReport(account: "alice", source: "s", destination: "d")
        report.error = "a literal of 2^63 octets"
        report.errorKind = .protocolViolation
        #expect(report.outcome == .connectionFailed)
        report.errorKind = .folder
        #expect(report.outcome == .failed)
    }

    /// A folder error without a kind (a failure the engine could not classify, as an older
    /// state file's report) stays the folder's problem.
    @Test func aFolderErrorWithoutAKindIsPartial() {
        var report = Self.report(folderErrors: [nil])
        report.folders[0].error = "disk full"
        #expect(report.outcome == .partial)
    }

    @Test func deferredMailMakesAnOtherwiseCompleteAccountDeferredNeverComplete() {
        var report = Self.report(folderErrors: [nil, nil])
        report.folders[1].deferred = 2
        #expect(report.outcome == .deferred && report.deferred == 2)
        report.folders[0].error = "refused"
        report.folders[0].errorKind = .folder
        #expect(report.outcome == .partial, "a failure outranks a deferral")
    }
}
