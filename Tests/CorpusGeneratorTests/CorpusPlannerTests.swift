@testable import CorpusGenerator
import Testing

@Suite struct CorpusPlannerTests {
    @Test func sameSeedAndUserGiveTheSamePlan() {
        let a = CorpusPlanner(profile: .standard, seed: 42, user: "tbalice").plan()
        let b = CorpusPlanner(profile: .standard, seed: 42, user: "tbalice").plan()
        #expect(a == b)
    }

    @Test func seedAndUserEachChangeThePlan() {
        let base = CorpusPlanner(profile: .standard, seed: 42, user: "tbalice").plan()
        #expect(base != CorpusPlanner(profile: .standard, seed: 43, user: "tbalice").plan())
        #expect(base != CorpusPlanner(profile: .standard, seed: 42, user: "tbbob").plan())
    }

    @Test(arguments: [11, 40, 300])
    func everyEdgeCaseOccurs(messages: Int) {
        let profile = CorpusProfile(messages: messages, largeMessages: 1, folders: 14)
        let plans = CorpusPlanner(profile: profile, seed: 1, user: "tbalice").plan()
        for edge in EdgeCase.allCases {
            #expect(plans.contains { $0.edgeCases.contains(edge) }, "no \(edge) in \(messages) messages")
        }
    }

    @Test func duplicateMessageIDsPointAtAnEarlierMessage() {
        let plans = CorpusPlanner(profile: .standard, seed: 3, user: "tbbob").plan()
        let duplicates = plans.filter { $0.edgeCases.contains(.duplicateMessageID) }
        #expect(!duplicates.isEmpty)
        for duplicate in duplicates {
            let earlier = plans.prefix(duplicate.index).filter { $0.messageID == duplicate.messageID }
            #expect(!earlier.isEmpty, "message \(duplicate.index) duplicates nothing")
        }
        #expect(plans.filter { $0.edgeCases.contains(.noMessageID) }.allSatisfy { $0.messageID == nil })
    }

    @Test func messagesInNewAreUnflaggedAndTheGuaranteedOneIsInInbox() {
        let plans = CorpusPlanner(profile: .standard, seed: 5, user: "tbcarol").plan()
        #expect(plans[0].inNew && plans[0].folder == 0)
        #expect(plans.filter(\.inNew).allSatisfy { $0.flags.isEmpty && $0.keywords.isEmpty })
    }

    @Test func benchmarkProfileIsAboutTwoThousandMessagesAnd130MB() {
        let planner = CorpusPlanner(profile: .benchmark, seed: 1, user: "tbbench")
        let plans = planner.plan()
        let bytes = plans.reduce(0) { $0 + $1.targetSize }
        #expect(plans.count == 2_000)
        #expect(planner.folders.count == 15)
        #expect((100_000_000...170_000_000).contains(bytes), "\(bytes) bytes")
        let large = plans.filter { $0.edgeCases.contains(.large) }
        #expect(large.count == 9)
        #expect(large.allSatisfy { (1_048_576...25 * 1_048_576).contains($0.targetSize) })
        let ordinary = plans.filter { !$0.edgeCases.contains(.large) }
        let small = ordinary.filter { (2_048...51_200).contains($0.targetSize) }
        #expect(Double(small.count) / Double(ordinary.count) > 0.9)  // mostly 2-50 KB
    }

    @Test func datesFallInTheFoldersYears() {
        let planner = CorpusPlanner(profile: .standard, seed: 9, user: "tbalice")
        for plan in planner.plan() {
            let years = planner.folders[plan.folder].years
            let start = CivilDate.epochSeconds(year: years.lowerBound, month: 1, day: 1)
            let end = CivilDate.epochSeconds(year: years.upperBound + 1, month: 1, day: 1)
            #expect(plan.date >= start && plan.date < end)
            #expect(plan.internalDate > plan.date)
        }
    }

    @Test func rejectsImpossibleProfiles() {
        #expect(throws: CorpusError.self) { try CorpusProfile(messages: 1, largeMessages: 2, folders: 1).validate() }
        #expect(throws: CorpusError.self) { try CorpusProfile(messages: 1, largeMessages: 0, folders: 99).validate() }
        #expect(throws: CorpusError.self) { try CorpusProfile(messages: -1, largeMessages: 0, folders: 1).validate() }
    }
}
