import Foundation
import Testing

@testable import MailferryConfig

/// The precheck stands between an administrator's text and toml++, which aborts the process on
/// some malformed files instead of reporting them. It must refuse exactly those shapes, with
/// the line, and never a well-formed file.
@Suite struct TOMLPrecheckTests {
    @Test(arguments: [
        ("d = [\"\",}\n", 1, TOMLPrecheckScanner.braceInArray),
        ("d = [}\n", 1, TOMLPrecheckScanner.braceInArray),
        ("a = 1\nd = [1, }\n", 2, TOMLPrecheckScanner.braceInArray),
        ("d = [[}]]\n", 1, TOMLPrecheckScanner.braceInArray),
        ("d = [\n  1,\n  # a comment\n}\n", 4, TOMLPrecheckScanner.braceInArray),
        ("t = { b = [ } ] }\n", 1, TOMLPrecheckScanner.braceInArray),
        ("s = \"\"\"\n[\n\"\"\"\nd = [\n}\n", 5, TOMLPrecheckScanner.braceInArray),
        ("[\u{E9}]\n", 1, TOMLPrecheckScanner.headerName),
        ("a = 1\n  [[ \u{1}x]]\n", 2, TOMLPrecheckScanner.headerName),
        ("d = [1]\n[\n", 2, TOMLPrecheckScanner.headerName),
        ("\u{FEFF}[\u{E9}]\n", 1, TOMLPrecheckScanner.headerName),
    ])
    func shapesTomlWouldAbortOnAreRefusedWithTheirLine(text: String, line: Int, message: String) {
        #expect { try TOMLPrecheck.check(text, origin: "c.toml") } throws: { "\($0)" == "c.toml:\(line): \(message)" }
    }

    /// Brackets and braces in strings, comments and headers are text, not structure: each of
    /// these is well-formed TOML, and toml++ reads it after the precheck.
    @Test(arguments: [
        "d = [\"}\", '}', \"\"\"\n}\"\"\", '''}''']\n",
        "d = [ # }\n  1, # [}\n]\n",
        "[\"a}[\".b]\nx = 1\n",
        "[[arr]]\nx = [{ a = 1 }, { b = [2, 3] }]\n",
        "s = \"\\\"[}\"\n",
        "s = \"\"\"a\"\"\"\"\nd = [1]\n",
        "t = { a = [1, 2], b = { c = [] } }\n",
        "d = [\n  [1, 2],\n  [3],\n]\n",
        "s = \"\"\"\n[ \u{E9}\n\"\"\"\n",
        "s = '''\n[}\n'''\n",
        "\u{FEFF}[a]\nx = [1]\n",
    ])
    func wellFormedTextPasses(text: String) throws {
        try TOMLPrecheck.check(text, origin: "c.toml")
        _ = try ConfigDecoder.table(text, origin: "c.toml")
    }

    /// Shapes toml++ reports itself (no assertion) are left to it, so its message with line and
    /// column is what the administrator reads.
    @Test(arguments: ["d = [1 }\n", "d = [\"unterminated\n", "a = }\n"])
    func otherSyntaxErrorsAreToml(text: String) {
        #expect { _ = try ConfigDecoder.table(text, origin: "c.toml") } throws: { "\($0)".hasPrefix("c.toml: TOML syntax error at line") }
    }

    @Test func everyShippedExamplePasses() throws {
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../examples").standardizedFileURL
        let files = try FileManager.default.contentsOfDirectory(atPath: examples.path).filter { $0.hasSuffix(".toml") }
        #expect(!files.isEmpty)
        for file in files {
            let text = try String(contentsOf: examples.appendingPathComponent(file), encoding: .utf8)
            try TOMLPrecheck.check(text, origin: file)
        }
    }
}
