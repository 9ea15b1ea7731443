/// What a directory entry in `courierimapkeywords/` is, by Courier's rules (`scan_updates`
/// in `maildirkeywords2.c`).
enum CourierKeywordFileName: Hashable, Sendable {
    /// `:list`, or any other name starting with `:`.
    case list
    /// `<name>`: a fresh update, the complete keyword set of that message.
    case update(target: String)
    /// `.N.<name>` with N > 0: an aged update; the largest N wins.
    case agedUpdate(generation: UInt64, target: String)
    /// `.tmp.…` or any other `.` name Courier does not recognise: a scratch file, ignored.
    case ignored

    init(_ name: String) {
        let bytes = Array(name.utf8)
        guard let first = bytes.first else {
            self = .ignored
            return
        }
        if first == UInt8(ascii: ":") {
            self = .list
            return
        }
        guard first == UInt8(ascii: ".") else {
            self = .update(target: name)
            return
        }
        // libmail_atotime_t(name + 1): the leading digits; 0 means "not an aged update".
        let digits = bytes.dropFirst().prefix { $0 >= 0x30 && $0 <= 0x39 }
        guard let generation = digits.decimal(), generation > 0 else {
            self = .ignored
            return
        }
        // The target follows the next '.' after the first character (strchr(name + 1, '.')).
        guard let dot = bytes.dropFirst().firstIndex(of: UInt8(ascii: ".")), dot + 1 < bytes.count else {
            self = .ignored
            return
        }
        self = .agedUpdate(generation: generation, target: String(decoding: bytes[(dot + 1)...], as: UTF8.self))
    }

    /// For each message base, the update file Courier would read: the fresh one if it
    /// exists, otherwise the aged one with the largest N. `messages` maps each base to the
    /// full names it is known by (an update file may name either).
    static func chooseUpdates(names: [String], messages: [String: [String]]) -> [String: String] {
        var baseForName: [String: String] = [:]
        for (base, fullNames) in messages {
            baseForName[base] = base
            for fullName in fullNames { baseForName[fullName] = base }
        }
        var plain: [String: String] = [:]
        var aged: [String: (generation: UInt64, name: String)] = [:]
        for name in names {
            switch CourierKeywordFileName(name) {
            case .update(let target):
                if let base = baseForName[target] { plain[base] = name }
            case .agedUpdate(let generation, let target):
                if let base = baseForName[target], generation > (aged[base]?.generation ?? 0) {
                    aged[base] = (generation, name)
                }
            case .list, .ignored:
                continue
            }
        }
        var chosen: [String: String] = [:]
        for (base, entry) in aged { chosen[base] = entry.name }
        for (base, name) in plain { chosen[base] = name }
        return chosen
    }
}
