import ArgumentParser
import Migration
import Foundation
import PostfixControl

/// `mailferry postfix mirror`: bcc every incoming message to a shadow domain routed to the
/// mirror (or straight to the new server).
struct PostfixMirrorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mirror",
        abstract: "Print, check and (with --apply) set the old server's bcc copy to the mirror.",
        discussion: """
            Sets recipient_bcc_maps (each recipient in --domain gets a copy addressed to \
            <domain>.mirror.invalid), transport_maps (that domain goes to --mirror, or to --direct) \
            and, for --direct only, smtp_generic_maps (the copy leaves with the real domain). \
            The copy behaves as NOTIFY=NONE: it never bounces to the sender. Existing \
            transport_maps and smtp_generic_maps are kept after mailferry's maps. The previous \
            values are saved in DIR/mailferry/backup.json; `mailferry postfix restore` puts them back.

            Example (testbed):
              mailferry postfix mirror -c .testbed/old/postfix --domain old.test \\
                  --mirror 127.0.0.1:10026 --apply

            Exits 0 when done (or the dry run printed), 1 when a check or the test message failed, \
            74 when a Postfix command failed.

            \(ExitStatus.helpTable)
            """
    )

    @Option(name: .customShort("c"), help: ArgumentHelp("The Postfix configuration directory.", valueName: "dir"))
    var configDirectory = "/etc/postfix"

    @Option(name: .long, help: "A domain whose incoming mail is copied (repeat for several).")
    var domain: [String] = []

    @Option(name: .long, help: "Copy only this recipient (repeat for a pilot group); default: everyone in --domain.")
    var only: [String] = []

    @Option(name: .long, help: "Suffix of the shadow domains (<domain>.<suffix>).")
    var shadowSuffix = "mirror.invalid"

    @Option(name: .long, help: "Route copies to mailferry mirror at HOST:PORT (recommended).")
    var mirror: String?

    @Option(name: .long, help: "Route copies straight to the new server at HOST:PORT (no tags, no verdicts).")
    var direct: String?

    @Option(name: .long, help: "With --direct: DOMAIN=NEWDOMAIN when the new server uses another domain.")
    var newDomain: [String] = []

    @Flag(name: .long, help: "Change the instance (default: print the plan only).")
    var apply = false

    @OptionGroup var test: PostfixTestMessageOptions

    func run() async throws {
        let plan = try makePlan()
        let instance = PostfixInstance(configDirectory: configDirectory)
        do {
            if !apply {
                print(PostfixPlanRenderer.render(plan, instance: instance, current: try instance.explicitSettings()), terminator: "")
                print("\nDry run: nothing changed. Add --apply to write the maps, back up and set the parameters.")
                return
            }
            let settings = try instance.applyMirror(plan)
            print("Applied to \(configDirectory) (backup: \(instance.mailferryDirectory)/backup.json):")
            for (name, value) in settings { print("  \(name) = \(value)") }
            let checks = try instance.verifyMirror(plan)
            print(PostfixPlanRenderer.render(checks), terminator: "")
            var ok = checks.allSatisfy(\.passed)
            if let address = test.testTo {
                ok = try await PostfixTestMessage.send(to: address, options: test, instance: instance) && ok
            }
            if !ok { throw ExitStatus.partial.exitCode }
        } catch let error as PostfixError {
            FileHandle.standardError.write(Data("mailferry postfix mirror: \(error)\n".utf8))
            throw ExitStatus.ioError.exitCode
        }
    }

    func makePlan() throws -> PostfixMirrorPlan {
        var plan = try makeRoutedPlan()
        plan.onlyRecipients = only
        return plan
    }

    func makeRoutedPlan() throws -> PostfixMirrorPlan {
        guard !domain.isEmpty else { throw ValidationError("give at least one --domain (the old server's mail domain)") }
        switch (mirror, direct) {
        case (let mirror?, nil):
            let (host, port) = try HostPort.parse(mirror, option: "--mirror")
            return PostfixMirrorPlan(domains: domain, shadowSuffix: shadowSuffix, route: .mirror(host: host, port: port))
        case (nil, let direct?):
            let (host, port) = try HostPort.parse(direct, option: "--direct")
            var map: [String: String] = [:]
            for pair in newDomain {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { throw ValidationError("--new-domain takes DOMAIN=NEWDOMAIN") }
                map[parts[0].lowercased()] = parts[1]
            }
            return PostfixMirrorPlan(domains: domain, shadowSuffix: shadowSuffix, route: .direct(host: host, port: port, newDomains: map))
        default:
            throw ValidationError("give exactly one of --mirror HOST:PORT or --direct HOST:PORT")
        }
    }
}
