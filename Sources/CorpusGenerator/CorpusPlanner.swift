/// Decides every message of one account's corpus from the profile, the seed and the user
/// name: folder, dates, flags, keywords, size and edge cases. Pure and deterministic; the
/// bytes are composed later by ``MessageComposer``.
public struct CorpusPlanner: Sendable {
    public let profile: CorpusProfile
    public let folders: [CorpusFolder]
    private let root: SeededRandom

    public init(profile: CorpusProfile, seed: UInt64, user: String) {
        self.profile = profile
        self.folders = FolderCatalog.folders(count: profile.folders)
        self.root = SeededRandom(seed: seed ^ SeededRandom.hash(user))
    }

    /// The plans, in index order. Every edge case occurs at least once when there are at
    /// least ``EdgeCase/allCases`` + 1 messages; beyond that, each has a small share.
    public func plan() -> [MessagePlan] {
        let count = profile.messages
        let guaranteed = count > EdgeCase.allCases.count ? Self.guaranteedEdgeCases : [:]
        let large = largeIndices(count: count, reserved: guaranteed.count + 1)
        let largeRank = Dictionary(uniqueKeysWithValues: large.sorted().enumerated().map { ($1, $0) })
        var plans: [MessagePlan] = []
        plans.reserveCapacity(count)
        var ids: [String] = []
        for index in 0..<count {
            var r = root.derived(UInt64(index))
            var edges = guaranteed[index] ?? randomEdgeCases(&r)
            if large.contains(index) {
                edges = [.large]
            }
            let folderIndex = edges.contains(.inNew) && guaranteed[index] != nil ? 0 : r.weightedIndex(folders.map(\.weight))
            let folder = folders[folderIndex]
            let date = Self.randomDate(&r, years: folder.years)
            let zone = r.pick([0, 60, 120, -300, -420, 330, 540, -180])
            var flags = Self.flags(&r, role: folder.role)
            if edges.contains(.inNew) { flags = "" }
            let keywords = edges.contains(.inNew) ? [] : Self.keywords(&r, role: folder.role)
            let size = edges.contains(.large) ? largeSize(&r, rank: largeRank[index] ?? 0, of: large.count) : Self.ordinarySize(&r)
            var id: String? = "\(String(r.next(), radix: 16)).\(index)@\(r.pick(MessageComposer.domains))"
            if edges.contains(.noMessageID) {
                id = nil
            } else if edges.contains(.duplicateMessageID), let earlier = ids.last {
                id = earlier  // same Message-ID as the previous message, different bytes
            }
            if let id { ids.append(id) }
            plans.append(MessagePlan(
                index: index, folder: folderIndex, date: date, zoneMinutes: zone,
                internalDate: date + Int64(r.int(2...900)), flags: flags, keywords: keywords,
                targetSize: size, messageID: id, edgeCases: edges))
        }
        return plans
    }

    /// The first messages carry one edge case each, so even a small corpus has all of them.
    /// Index 2 duplicates the Message-ID of index 1.
    static let guaranteedEdgeCases: [Int: Set<EdgeCase>] = [
        0: [.inNew], 1: [.eightBitHeaders], 2: [.duplicateMessageID], 3: [.noMessageID],
        4: [.encodedWordHeaders], 5: [.latin1Body], 6: [.emptyBody], 7: [.noFinalNewline],
        8: [.foldedHeader], 9: [.eightBitHeaders, .latin1Body],
    ]

    func randomEdgeCases(_ r: inout SeededRandom) -> Set<EdgeCase> {
        var edges: Set<EdgeCase> = []
        if r.chance(0.01) { edges.insert(.noMessageID) }
        if r.chance(0.01) { edges.insert(.duplicateMessageID) }
        if r.chance(0.04) { edges.insert(.eightBitHeaders) }
        if r.chance(0.05) { edges.insert(.encodedWordHeaders) }
        if r.chance(0.03) { edges.insert(.latin1Body) }
        if r.chance(0.03) { edges.insert(.foldedHeader) }
        if r.chance(0.003) { edges.insert(.emptyBody) }
        if r.chance(0.005) { edges.insert(.noFinalNewline) }
        if r.chance(0.01) { edges.insert(.inNew) }
        if edges.contains(.emptyBody) { edges.subtract([.latin1Body, .noFinalNewline]) }
        return edges
    }

    /// Large messages sit at evenly spaced positions after the guaranteed edge cases.
    func largeIndices(count: Int, reserved: Int) -> Set<Int> {
        let n = profile.largeMessages
        guard n > 0 else { return [] }
        let first = min(reserved, max(0, count - n))
        let span = count - first
        return Set((0..<n).map { first + $0 * span / n })
    }

    /// Between 1 MB and the profile's maximum, skewed towards the small end (u²: the mean
    /// is a third of the way up). Stratified by rank, so n large messages always add up to
    /// about n × (1 MB + a third of the range) instead of swinging with the seed. Plain
    /// arithmetic, no libm, so every machine agrees.
    func largeSize(_ r: inout SeededRandom, rank: Int, of count: Int) -> Int {
        let low = 1_048_576.0
        let high = Double(profile.largeMaxBytes)
        let u = (Double(rank) + r.unit()) / Double(max(count, 1))
        return Int(low + (high - low) * u * u)
    }

    /// About 70% 2-15 KB, 26% 15-50 KB, 4% 50-400 KB (multipart with an attachment).
    static func ordinarySize(_ r: inout SeededRandom) -> Int {
        switch r.weightedIndex([70, 26, 4]) {
        case 0: return r.int(2_048...15_360)
        case 1: return r.int(15_360...51_200)
        default: return r.int(51_200...409_600)
        }
    }

    static func flags(_ r: inout SeededRandom, role: CorpusFolder.Role) -> String {
        var letters: Set<Character> = []
        switch role {
        case .sent: letters.insert("S")
        case .drafts: letters.formUnion(["D", "S"])
        case .trash: letters.insert("S"); if r.chance(0.3) { letters.insert("T") }
        case .junk: if r.chance(0.5) { letters.insert("S") }
        case .inbox, .plain: if r.chance(role == .inbox ? 0.7 : 0.95) { letters.insert("S") }
        }
        if r.chance(0.06) { letters.insert("F") }
        if role != .drafts, r.chance(0.12) { letters.insert("R") }
        if role == .plain, r.chance(0.01) { letters.insert("T") }
        return String(letters.sorted())
    }

    static let keywordChoices = ["$Forwarded", "$Label1", "$Label2", "NonJunk", "$MDNSent", "Work"]

    static func keywords(_ r: inout SeededRandom, role: CorpusFolder.Role) -> [String] {
        var chosen: [String] = role == .junk ? ["Junk"] : []
        if r.chance(0.08) {
            chosen.append(r.pick(keywordChoices))
            if r.chance(0.3) { chosen.append(r.pick(keywordChoices)) }
        }
        var seen: Set<String> = []
        return chosen.filter { seen.insert($0.lowercased()).inserted }
    }

    static func randomDate(_ r: inout SeededRandom, years: ClosedRange<Int>) -> Int64 {
        let start = CivilDate.epochSeconds(year: years.lowerBound, month: 1, day: 1)
        let end = CivilDate.epochSeconds(year: years.upperBound + 1, month: 1, day: 1)
        return start + Int64(r.int(0...Int(end - start - 1)))
    }
}
