import Foundation
import PackagePlugin

/// Stamps the git commit a build comes from into the target (`BuildCommit.swift`), for
/// `mailferry --version`. A prebuild command, because those run on every build: a build
/// command would run only when its declared inputs change, and which files under .git change
/// with a commit (a loose ref, packed-refs, a worktree's HEAD) depends on the checkout. The
/// script rewrites the file only when the commit changes, so a build at the same commit
/// recompiles nothing.
@main
struct BuildCommitPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) async throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "BuildCommit")
        let script = context.package.directoryURL.appending(path: "scripts/lib/build-commit.sh")
        return [
            .prebuildCommand(
                displayName: "Stamping the commit \(target.name) is built from",
                executable: URL(filePath: "/bin/sh"),
                arguments: [script.path(percentEncoded: false), context.package.directoryURL.path(percentEncoded: false), output.path(percentEncoded: false)],
                outputFilesDirectory: output
            )
        ]
    }
}
