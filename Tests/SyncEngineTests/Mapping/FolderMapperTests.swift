import MailModel
import SyncEngine
import Testing

@Suite struct FolderMapperTests {
    let courier = StoreHierarchy(prefix: "INBOX.", separator: ".")
    let dovecot = StoreHierarchy(prefix: "", separator: "/")

    func courierFolders(_ names: [String], roles: [String: SpecialUse] = [:]) -> [FolderListing] {
        names.map { FolderListing(name: MailboxName($0, separator: "."), specialUse: roles[$0]) }
    }

    func dovecotFolders(_ names: [String: SpecialUse?]) -> [FolderListing] {
        names.map { FolderListing(name: MailboxName($0.key, separator: "/"), specialUse: $0.value) }
    }

    func destinations(_ plan: FolderPlan) -> [String: String] {
        Dictionary(uniqueKeysWithValues: plan.mappings.map { ($0.source.name.name, $0.destination.name) })
    }

    @Test func namesThatDifferOnlyInNormalisationAreTwoFolders() {
        let composed = "INBOX.Entw\u{FC}rfe"  // ü as one code point (NFC)
        let decomposed = "INBOX.Entwu\u{308}rfe"  // u + combining diaeresis (NFD)
        let plan = FolderMapper(sourceHierarchy: courier, destinationHierarchy: dovecot).plan(
            source: courierFolders(["INBOX", composed, decomposed]),
            destination: [FolderListing(name: MailboxName("Entwu\u{308}rfe", separator: "/"))])
        #expect(plan.problems.isEmpty)
        #expect(plan.mappings.count == 3)
        let nfc = plan.mappings.first { $0.source.name.name.utf8.elementsEqual(composed.utf8) }
        let nfd = plan.mappings.first { $0.source.name.name.utf8.elementsEqual(decomposed.utf8) }
        #expect(nfc.map { Array($0.destination.name.utf8) } == Array("Entw\u{FC}rfe".utf8))
        #expect(nfd.map { Array($0.destination.name.utf8) } == Array("Entwu\u{308}rfe".utf8))
        // Only the NFD one is already there.
        #expect(nfc?.destinationExists == false)
        #expect(nfd?.destinationExists == true)
    }

    @Test func rulesTreatTheNFCAndNFDSpellingsAsDifferentNames() {
        let composed = "INBOX.Entw\u{FC}rfe"
        let decomposed = "INBOX.Entwu\u{308}rfe"
        let source = courierFolders(["INBOX", composed, decomposed])
        func target(of name: String, in plan: FolderPlan) -> [UInt8]? {
            plan.mappings.first { $0.source.name.name.utf8.elementsEqual(name.utf8) }.map { Array($0.destination.name.utf8) }
        }
        // Each rule is written with the NFC spelling: it must leave the NFD folder alone.
        for rules in [
            MappingRules(renames: ["\(composed)=Drafts old"]),
            MappingRules(patterns: [#"INBOX\.Entw\#u{FC}rfe=Drafts old"#]),
        ] {
            let plan = FolderMapper(sourceHierarchy: courier, destinationHierarchy: dovecot, rules: rules).plan(
                source: source, destination: [])
            #expect(plan.problems.isEmpty, "\(rules)")
            #expect(target(of: composed, in: plan) == Array("Drafts old".utf8), "\(rules)")
            #expect(target(of: decomposed, in: plan) == Array("Entwu\u{308}rfe".utf8), "\(rules)")
        }
        let excluded = FolderMapper(
            sourceHierarchy: courier, destinationHierarchy: dovecot, rules: MappingRules(exclude: [#"INBOX\.Entw\#u{FC}rfe"#])
        ).plan(source: source, destination: [])
        #expect(target(of: composed, in: excluded) == nil)
        #expect(target(of: decomposed, in: excluded) == Array("Entwu\u{308}rfe".utf8))
    }

    @Test func mapsCourierPrefixAndSeparatorToDovecot() {
        let plan = FolderMapper(sourceHierarchy: courier, destinationHierarchy: dovecot).plan(
            source: courierFolders(["INBOX", "INBOX.Archive", "INBOX.Archive.2019", "INBOX.Entwürfe", "INBOX.Tom & Jerry"]),
            destination: dovecotFolders(["INBOX": nil]))
        #expect(plan.problems.isEmpty)
        #expect(destinations(plan) == [
            "INBOX": "INBOX", "INBOX.Archive": "Archive", "INBOX.Archive.2019": "Archive/2019",
            "INBOX.Entwürfe": "Entwürfe", "INBOX.Tom & Jerry": "Tom & Jerry",
        ])
        #expect(plan.mappings.first { $0.source.name.name == "INBOX" }?.destinationExists == true)
        #expect(plan.mappings.first { $0.source.name.name == "INBOX.Archive" }?.destinationExists == false)
    }

    @Test func mapsRolesToTheDestinationsSpecialUseFolders() {
        let plan = FolderMapper(sourceHierarchy: courier, destinationHierarchy: dovecot).plan(
            source: courierFolders(["INBOX", "INBOX.Sent Items", "INBOX.Sent", "INBOX.Deleted Items", "INBOX.Spam", "INBOX.Archive.Sent"]),
            destination: dovecotFolders(["INBOX": nil, "Sent": .sent, "Trash": .trash, "Junk": .junk]))
        #expect(plan.problems.isEmpty)
        let map = destinations(plan)
        // "Sent" wins the role (preferred name); "Sent Items" keeps its name instead of merging.
        #expect(map["INBOX.Sent"] == "Sent")
        #expect(map["INBOX.Sent Items"] == "Sent Items")
        #expect(map["INBOX.Deleted Items"] == "Trash")
        #expect(map["INBOX.Spam"] == "Junk")
        // Only top-level folders take a role by name.
        #expect(map["INBOX.Archive.Sent"] == "Archive/Sent")
    }

    @Test func aSpecialUseAttributeBeatsAWellKnownName() {
        let plan = FolderMapper(sourceHierarchy: dovecot, destinationHierarchy: dovecot).plan(
            source: [
                FolderListing(name: MailboxName("Sent", separator: "/")),
                FolderListing(name: MailboxName("Gesendet", separator: "/"), specialUse: .sent),
            ],
            destination: dovecotFolders(["Sent Messages": .sent]))
        let map = destinations(plan)
        #expect(map["Gesendet"] == "Sent Messages")
        #expect(map["Sent"] == "Sent")
    }

    @Test func rulesRenameAndFilter() {
        let rules = MappingRules(
            renames: ["INBOX.Old Stuff=Archive/Old"], patterns: [#"INBOX\.Lists\.(.*)=Mailing Lists/$1"#],
            include: [], exclude: [#"INBOX\.Trash.*"#])
        let plan = FolderMapper(sourceHierarchy: courier, destinationHierarchy: dovecot, rules: rules).plan(
            source: courierFolders(["INBOX", "INBOX.Old Stuff", "INBOX.Lists.debian-user", "INBOX.Trash", "INBOX.Trash.x"]),
            destination: [])
        #expect(plan.problems.isEmpty)
        #expect(destinations(plan) == [
            "INBOX": "INBOX", "INBOX.Old Stuff": "Archive/Old", "INBOX.Lists.debian-user": "Mailing Lists/debian-user",
        ])
        #expect(plan.skipped.map(\.folder).sorted() == ["INBOX.Trash", "INBOX.Trash.x"])
    }

    @Test func includeKeepsOnlyMatchingFolders() {
        let plan = FolderMapper(sourceHierarchy: courier, destinationHierarchy: dovecot, rules: MappingRules(include: ["INBOX(\\..*)?"]))
            .plan(source: courierFolders(["INBOX", "INBOX.a"]) + [FolderListing(name: MailboxName("shared.x", separator: "."))], destination: [])
        #expect(Set(destinations(plan).keys) == ["INBOX", "INBOX.a"])
    }

    @Test func collisionsAndUnrepresentableNamesAreProblems() {
        let plan = FolderMapper(
            sourceHierarchy: courier, destinationHierarchy: dovecot, rules: MappingRules(renames: ["INBOX.a=b"])
        ).plan(source: courierFolders(["INBOX", "INBOX.a", "INBOX.b", "INBOX.x/y"]), destination: [])
        #expect(plan.problems.count == 2)
        #expect(plan.problems.contains(.collision(sources: ["INBOX.a", "INBOX.b"], destination: "b")))
        #expect(plan.problems.contains { if case .unrepresentable(source: "INBOX.x/y", _) = $0 { return true } else { return false } })
    }

    @Test func malformedRulesAreReported() {
        let plan = FolderMapper(
            sourceHierarchy: courier, destinationHierarchy: dovecot,
            rules: MappingRules(renames: ["no-equals-sign"], patterns: ["(unclosed=x"], exclude: ["[a-"])
        ).plan(source: courierFolders(["INBOX"]), destination: [])
        #expect(plan.problems.count == 3)
    }

    @Test func nonSelectableLevelsAreSkipped() {
        let plan = FolderMapper(sourceHierarchy: courier, destinationHierarchy: dovecot).plan(
            source: [FolderListing(name: MailboxName("INBOX.Level", separator: "."), isSelectable: false)], destination: [])
        #expect(plan.mappings.isEmpty)
        #expect(plan.skipped.count == 1)
    }

    @Test func dovecotToCourierPutsEverythingUnderInbox() {
        let plan = FolderMapper(sourceHierarchy: dovecot, destinationHierarchy: courier).plan(
            source: dovecotFolders(["INBOX": nil, "Archive/2019": nil, "INBOX/child": nil]), destination: [])
        #expect(destinations(plan) == ["INBOX": "INBOX", "Archive/2019": "INBOX.Archive.2019", "INBOX/child": "INBOX.child"])
    }

    @Test(arguments: [
        ("a=b", "a", "b"), (#"a\=b=c"#, "a=b", "c"), (#"a=b\=c"#, "a", "b=c"),
    ])
    func ruleSplitting(rule: String, left: String, right: String) {
        let plan = FolderMapper(sourceHierarchy: dovecot, destinationHierarchy: dovecot, rules: MappingRules(renames: [rule]))
            .plan(source: [FolderListing(name: MailboxName(left, separator: "/"))], destination: [])
        #expect(destinations(plan) == [left: right])
    }
}
