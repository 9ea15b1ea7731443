import ArgumentParser
import Migration
import Foundation
import PostfixControl

/// `mailferry postfix mirror`: bcc every incoming message to a shadow domain routed to the
/// mirror, and print the one setting the new server needs for late failures.
struct PostfixMirrorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mirror",
        abstract: "Print, check and (with --apply) set the old server's bcc copy to the mirror.",
        discussion: """
            Sets recipient_bcc_maps (each recipient in --domain gets a copy addressed to \
            <domain>.mirror.invalid) and transport_maps (that domain goes to --mirror). The copy \
            behaves as NOTIFY=NONE: it never bounces to the sender. Existing transport_maps are \
            kept after mailferry's map. The previous values are saved in \
            DIR/mailferry/backup.json; `mailferry postfix restore` puts them back.

            Copies always go through the mirror: it tags each one so that `mirror purge` can \
            prove which messages are copies, and relays them with its own envelope sender \
            (--bounce-address, the mirror's [destination] bounce_address), so that no copy can \
            ever notify the real sender. The plan also prints the NEW server's transport_maps \
            entry that sends notifications about copies it could not deliver later (over quota) \
            back to the mirror, which lists them in `mirror report` (set notify = "failure" in \
            the mirror's [destination] once it is in place).

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

    @Option(name: .long, help: "Route copies to mailferry mirror at HOST:PORT.")
    var mirror: String?

    @Option(name: .long, help: "The mirror's bounce address (its [destination] bounce_address).")
    var bounceAddress = "bounces@mailferry.invalid"

    @Option(name: .long, help: ArgumentHelp("Where the new server reaches the mirror, for its notifications (default: --mirror).", valueName: "host:port"))
    var mirrorFromNewServer: String?

    @Flag(name: .long, help: "Change the instance (default: print the plan only).")
    var apply = false

    @OptionGroup var test: PostfixTestMessageOptions

    func run() async throws {
        let plan = try makePlan()
        let instance = PostfixInstance(configDirectory: configDirectory)
        do {
            let newServer = try newServerTransport()
            if !apply {
                print(PostfixPlanRenderer.render(plan, instance: instance, current: try instance.explicitSettings()), terminator: "")
                print(PostfixPlanRenderer.renderNewServer(newServer), terminator: "")
                print("\nDry run: nothing changed. Add --apply to write the maps, back up and set the parameters.")
                return
            }
            let settings = try instance.applyMirror(plan)
            print("Applied to \(configDirectory) (backup: \(instance.mailferryDirectory)/backup.json):")
            for (name, value) in settings { print("  \(name) = \(value)") }
            print(PostfixPlanRenderer.renderNewServer(newServer), terminator: "")
            let checks = try instance.verifyMirror(plan)
            print(PostfixPlanRenderer.render(checks), terminator: "")
            var ok = checks.allSatisfy(\.passed)
            if let address = test.testTo {
                ok = try await sendTestMessage(to: address, instance: instance) && ok
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
        guard let mirror else { throw ValidationError("give --mirror HOST:PORT (copies always go through mailferry mirror, which tags them)") }
        let (host, port) = try HostPort.parse(mirror, option: "--mirror")
        return PostfixMirrorPlan(domains: domain, shadowSuffix: shadowSuffix, route: .mirror(host: host, port: port))
    }

    /// The new server's transport entry for the mirror's bounce domain.
    func newServerTransport() throws -> String {
        guard let at = bounceAddress.lastIndex(of: "@"), bounceAddress.index(after: at) < bounceAddress.endIndex else {
            throw ValidationError("--bounce-address takes a mailbox such as bounces@mailferry.invalid")
        }
        let (host, port) = try HostPort.parse(mirrorFromNewServer ?? mirror ?? "", option: mirrorFromNewServer == nil ? "--mirror" : "--mirror-from-new-server")
        return PostfixMirrorPlan.newServerTransport(bounceDomain: String(bounceAddress[bounceAddress.index(after: at)...]), mirrorHost: host, mirrorPort: port)
    }
}
