/// A main.cf parameter and the value mailferry gives it.
public struct PostfixParameter: Hashable, Sendable, Codable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// One change a plan makes to a Postfix instance. The dry run prints exactly the commands
/// ``PostfixHost/apply(_:clock:)`` runs, from ``commands(in:)``.
public enum PostfixChange: Hashable, Sendable {
    /// Write a lookup table under the mailferry directory (then `postmap` it when `hash`).
    case writeMap(name: String, type: String, content: String)
    /// Remove a table mailferry wrote (and its `.db`).
    case removeMap(name: String, type: String)
    case setParameters([PostfixParameter])
    case removeParameters([String])
    /// Add or replace a master.cf service (`postconf -M name/type=entry`).
    case setService(name: String, type: String, entry: String)
    case removeService(name: String, type: String)
    case reload
    /// Queue entries with a recipient in these domains are tried now (`postqueue -i`), and
    /// nothing else is: mirror copies meet their `discard:` entry, relayed mail its new route.
    case deliverQueued(domains: [String])
    /// Messages that entered the hold queue after the hold began, with a recipient in these
    /// domains, are released (`postsuper -H`) and tried now (`postqueue -i`). Mail the site
    /// held for its own reasons before the cutover stays held.
    case releaseHeld(domains: [String])

    /// The commands this change runs, for the dry run; ids only known at run time are
    /// written as `<...>`.
    public func commands(in postfix: PostfixHost) -> [String] {
        let directory = postfix.mailferryDirectory
        func line(_ argv: [String]) -> String { HostCommand(argv).description }
        switch self {
        case .writeMap(let name, let type, let content):
            var lines = ["write \(directory)/\(name):"] + content.split(separator: "\n").map { "    " + $0 }
            if type == "hash" { lines.append(line(postfix.command("postmap", ["\(type):\(directory)/\(name)"]))) }
            return lines
        case .removeMap(let name, let type):
            return ["remove \(directory)/\(name)" + (type == "hash" ? " and \(directory)/\(name).db" : "")]
        case .setParameters(let parameters):
            return [line(postfix.editMainCFArgv(["-e"] + parameters.map { "\($0.name)=\($0.value)" }))]
        case .removeParameters(let names):
            return [line(postfix.editMainCFArgv(["-X"] + names))]
        case .setService(let name, let type, let entry):
            return [line(postfix.command("postconf", ["-M", "\(name)/\(type)=\(entry)"]))]
        case .removeService(let name, let type):
            return [line(postfix.command("postconf", ["-MX", "\(name)/\(type)"]))]
        case .reload:
            return [line(postfix.command("postfix", ["reload"]))]
        case .deliverQueued(let domains):
            return [line(PostfixHost.deliverNowArgv(commandDirectory: postfix.commandDirectory, configDirectory: postfix.configDirectory))
                + "   reading the id of each queued message with a recipient in \(domains.joined(separator: ", "))"]
        case .releaseHeld(let domains):
            return [line(["\(postfix.commandDirectory)/postsuper", "-c", postfix.configDirectory, "-H", "-"])
                + "   reading the id of each message held since the hold began with a recipient in \(domains.joined(separator: ", "))",
                    line(PostfixHost.deliverNowArgv(commandDirectory: postfix.commandDirectory, configDirectory: postfix.configDirectory))
                + "   reading their ids (postsuper -H only moves them to the deferred queue)"]
        }
    }
}
