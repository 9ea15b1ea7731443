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

    static func render(_ checks: [PostfixInstance.Check]) -> String {
        var out = "Checks:\n"
        for check in checks {
            out += "  [\(check.passed ? "ok" : "FAIL")] \(check.description)\(check.passed ? "" : " (\(check.detail))")\n"
        }
        return out
    }
}
