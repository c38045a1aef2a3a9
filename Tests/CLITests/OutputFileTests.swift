import Foundation
import XCTest

final class OutputFileTests: XCTestCase {
    func testSeveralFormatsInOneRunAndBaselineRoundTrip() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sarif = dir.appendingPathComponent("out.sarif").path
        let junit = dir.appendingPathComponent("out.xml").path
        let result = try CLI.run(["check", "--format", "concise", "--output", "sarif=\(sarif)", "--output", "junit=\(junit)",
                                  "samples/jitsi-token-seed/prosody.cfg.lua"])
        XCTAssertEqual(result.status, 1)
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sarif))) as? [String: Any]
        XCTAssertEqual(document?["version"] as? String, "2.1.0")
        XCTAssertTrue(try String(contentsOfFile: junit, encoding: .utf8).contains("<testsuites"))

        let baseline = dir.appendingPathComponent("baseline.json").path
        XCTAssertEqual(try CLI.run(["check", "--write-baseline", baseline, "samples/jitsi-token-seed/prosody.cfg.lua"]).status, 0)
        let again = try CLI.run(["check", "--format", "concise", "--baseline", baseline, "samples/jitsi-token-seed/prosody.cfg.lua"])
        XCTAssertEqual(again.status, 0, again.stdout)
        XCTAssertTrue(again.stdout.contains("no problems found"), again.stdout)
        try Data("{\"schema\": 1}".utf8).write(to: URL(fileURLWithPath: baseline))
        XCTAssertEqual(try CLI.run(["check", "--baseline", baseline, "samples/jitsi-token-seed/prosody.cfg.lua"]).status, 2)
    }

    func testProjectConfigFileIsFoundAndAnInvalidOneIsAUsageError() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("prosody.cfg.lua")
        try FileManager.default.copyItem(atPath: CLI.root.appendingPathComponent("samples/jitsi-token-seed/prosody.cfg.lua").path,
                                         toPath: config.path)
        try Data("ignore: [LUA001, JWT]\nfail_on: error\n".utf8).write(to: dir.appendingPathComponent(".prosody-doctor.yml"))
        let quiet = try CLI.run(["check", "--format", "concise", config.path])
        XCTAssertFalse(quiet.stdout.contains("LUA001") || quiet.stdout.contains("JWT50"), quiet.stdout)
        try Data("ignore: [LUA001]\nfial_on: error\n".utf8).write(to: dir.appendingPathComponent(".prosody-doctor.yml"))
        let invalid = try CLI.run(["check", config.path])
        XCTAssertEqual(invalid.status, 2)
        XCTAssertTrue(invalid.stderr.contains(".prosody-doctor.yml:2"), invalid.stderr)
    }

    func testEnvironmentMirrorsAndGitHubDefault() throws {
        let json = try CLI.run(["check", "samples/jitsi-token-seed/prosody.cfg.lua"], environment: ["PROSODY_DOCTOR_FORMAT": "json"])
        XCTAssertTrue(json.stdout.hasPrefix("{"))
        let github = try CLI.run(["check", "samples/jitsi-token-seed/prosody.cfg.lua"], environment: ["GITHUB_ACTIONS": "true"])
        XCTAssertTrue(github.stdout.hasPrefix("::"), github.stdout)
    }

    func testSecretsNeverPrinted() throws {
        for format in ["text", "concise", "json", "sarif", "github", "gitlab", "checkstyle", "junit", "markdown", "html"] {
            let result = try CLI.run(["check", "--format", format, "samples/jitsi-token-seed/prosody.cfg.lua"])
            XCTAssertFalse(result.stdout.contains("Sup3rS3cretSigningKey"), format)
        }
        let shown = try CLI.run(["config", "show", "samples/jitsi-token-seed/prosody.cfg.lua"])
        XCTAssertFalse(shown.stdout.contains("Sup3rS3cretSigningKey"), "config show masks secrets")
        let redacted = try CLI.run(["redact", "samples/jitsi-token-seed/prosody.cfg.lua"])
        XCTAssertFalse(redacted.stdout.contains("Sup3rS3cretSigningKey"))
    }
}
