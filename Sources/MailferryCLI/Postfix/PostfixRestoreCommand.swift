import ArgumentParser
import Migration
import Foundation
import PostfixControl

/// `mailferry postfix restore`: undo the last --apply.
struct PostfixRestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Put back the settings that the last `mailferry postfix ... --apply` replaced.",
        discussion: """
            Restores each changed parameter to its previous value (or removes it if it was not set), \
            removes mailferry's map files, checks and reloads Postfix, then compares every explicit \
            setting with the snapshot taken before --apply and lists any that differ (changed by \
            someone else meanwhile; left alone).

            Exits 0 when restored exactly, 1 when restored but other settings differ from the \
            snapshot, 74 when there is nothing to restore or a Postfix command failed.

            \(ExitStatus.helpTable)
            """
    )

    @Option(name: .customShort("c"), help: ArgumentHelp("The Postfix configuration directory.", valueName: "dir"))
    var configDirectory = "/etc/postfix"

    func run() async throws {
        let instance = PostfixInstance(configDirectory: configDirectory)
        let result: PostfixInstance.RestoreResult
        do {
            result = try instance.restoreMirror()
        } catch let error as PostfixError {
            FileHandle.standardError.write(Data("mailferry postfix restore: \(error)\n".utf8))
            throw ExitStatus.ioError.exitCode
        }
        print("Restored \(configDirectory):")
        for (name, value) in result.restored.sorted(by: { $0.key < $1.key }) {
            print("  \(name) = \(value ?? "(default; removed from main.cf)")")
        }
        if result.differences.isEmpty {
            print("Every explicit setting is as it was before --apply.")
        } else {
            print("Settings that differ from the snapshot (changed by someone else; left alone):")
            for line in result.differences { print("  \(line)") }
            throw ExitStatus.partial.exitCode
        }
    }
}
