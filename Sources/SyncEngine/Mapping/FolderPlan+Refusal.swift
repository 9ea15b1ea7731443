import MailModel

extension FolderPlan {
    /// Splits the plan's problems: a problem of one or a few folders refuses those folders
    /// (reported as failed, with the reason) and the rest of the account goes on; a problem
    /// of the whole plan (a malformed rule) refuses the account.
    public func refusingFolders() -> (plan: FolderPlan, refused: [FolderReport], problems: [MappingProblem]) {
        var refused: [FolderReport] = []
        var accountProblems: [MappingProblem] = []
        var refusedSources: Set<[UInt8]> = []  // bytes: NFC and NFD spellings are two folders
        for problem in problems {
            switch problem {
            case .collision(let sources, let destination):
                for source in sources where !refusedSources.contains(Array(source.utf8)) {
                    refusedSources.insert(Array(source.utf8))
                    var report = FolderReport(sourceFolder: source, destinationFolder: destination)
                    report.error = problem.description
                    refused.append(report)
                }
            case .unrepresentable(let source, _):
                refusedSources.insert(Array(source.utf8))
                var report = FolderReport(sourceFolder: source, destinationFolder: "")
                report.error = problem.description
                refused.append(report)
            case .invalidRule:
                accountProblems.append(problem)
            }
        }
        var kept = self
        kept.mappings.removeAll { refusedSources.contains(Array($0.source.name.name.utf8)) }
        kept.problems = accountProblems
        return (kept, refused, accountProblems)
    }
}
