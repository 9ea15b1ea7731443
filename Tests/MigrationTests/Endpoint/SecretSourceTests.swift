import Foundation
import MailModel
@testable import Migration
import Testing

@Suite struct SecretSourceTests {
    let source = SecretSource(fileFlag: "--password-file", environmentVariable: "MAILFERRY_PASSWORD")

    func file(_ contents: String) throws -> String {
        let path = NSTemporaryDirectory() + "mailferry-secret-\(UUID().uuidString)"
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func readsTheFirstLineOfTheFile() throws {
        let path = try file("s3cret pass\r\nsecond line\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try source.load(file: path, environment: ["MAILFERRY_PASSWORD": "env"]).revealed == "s3cret pass")
    }

    @Test func fallsBackToTheEnvironment() throws {
        #expect(try source.load(file: nil, environment: ["MAILFERRY_PASSWORD": "env"]).revealed == "env")
    }

    @Test func errorsNameTheFlagNeverTheValue() throws {
        #expect(throws: SecretSourceError.self) { try source.load(file: nil, environment: [:]) }
        let empty = try file("\n")
        defer { try? FileManager.default.removeItem(atPath: empty) }
        do {
            _ = try source.load(file: empty, environment: [:])
            Issue.record("an empty file must fail")
        } catch {
            #expect("\(error)".contains("--password-file"))
        }
        #expect(throws: SecretSourceError.self) { try source.load(file: "/nonexistent/mailferry", environment: [:]) }
    }

    @Test func secretsNeverPrint() throws {
        let secret = try source.load(file: nil, environment: ["MAILFERRY_PASSWORD": "hunter2"])
        #expect("\(secret)" == "[redacted]")
        #expect(String(reflecting: secret) == "Secret([redacted])")
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!dumped.contains("hunter2"))
    }
}
