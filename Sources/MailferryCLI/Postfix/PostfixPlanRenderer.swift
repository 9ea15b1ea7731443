import PostfixControl

/// Text for the dry run and the checklist.
enum PostfixPlanRenderer {
    static func render(_ plan: PostfixMirrorPlan, instance: PostfixInstance, current: [String: String]) -> String {
        var out = "Mirror settings for \(instance.configDirectory):\n"
        let settings: [(String, String)]
        do {
            settings = try plan.settings(current: current, directory: instance.mailferryDirectory)
        } catch {
            return out + "  cannot apply: \(error)\n"
        }
        for (name, value) in settings {
            out += "  \(name) = \(value)\n"
            out += "      (now: \(current[name].map { $0.isEmpty ? "empty" : $0 } ?? "not set"))\n"
        }
        for file in plan.files() {
            out += "\n\(instance.mailferryDirectory)/\(file.name) (\(file.type)\(file.type == "hash" ? ", then postmap" : "")):\n"
            for line in file.content.split(separator: "\n") where !line.hasPrefix("#") { out += "  \(line)\n" }
        }
        return out
    }

    /// The setting that belongs on the new server, not this one.
    static func renderNewServer(_ transportEntry: String) -> String {
        var out = "\nOn the NEW server (not this one), so that a copy it accepts and cannot deliver later\n"
        out += "(over quota, unknown at LMTP) is reported to the mirror instead of dropped:\n"
        out += "  add to a map in its transport_maps (then postmap, postfix reload):\n"
        out += "    \(transportEntry)\n"
        out += "  then set notify = \"failure\" in the mirror's [destination]; `mirror report` lists them.\n"
        return out
    }

    static func render(_ checks: [PostfixInstance.Check]) -> String {
        var out = "Checks:\n"
        for check in checks {
            out += "  [\(check.passed ? "ok" : "FAIL")] \(check.description)\(check.passed ? "" : " (\(check.detail))")\n"
        }
        return out
    }
}
