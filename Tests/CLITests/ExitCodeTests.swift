import Foundation
import XCTest

/// Exit status: 0 nothing at or above --fail-on, 1 findings, 2 usage error, 3 unreadable input.
final class ExitCodeTests: XCTestCase {
    func testCleanConfigExitsZeroAndFindingsExitOne() throws {
        let clean = try CLI.run(["check", "--format", "concise", "samples/jitsi-token-repaired/prosody.cfg.lua"])
        XCTAssertEqual(clean.status, 0, clean.stdout + clean.stderr)
        let broken = try CLI.run(["check", "--format", "concise", "samples/jitsi-token-seed/prosody.cfg.lua"])
        XCTAssertEqual(broken.status, 1)
        XCTAssertTrue(broken.stdout.contains("error [LUA001]"))
        XCTAssertTrue(broken.stdout.contains("samples/jitsi-token-seed/prosody.cfg.lua:25:5"), broken.stdout)
    }

    func testFailOnDecidesTheStatusNotTheFormat() throws {
        for format in ["text", "json", "sarif", "github", "junit"] {
            let never = try CLI.run(["check", "--format", format, "--fail-on", "never", "samples/jitsi-token-seed/prosody.cfg.lua"])
            XCTAssertEqual(never.status, 0, format)
            let warning = try CLI.run(["check", "--format", format, "--fail-on", "warning", "--ignore", "LUA001",
                                       "samples/jitsi-token-seed/prosody.cfg.lua"])
            XCTAssertEqual(warning.status, 1, format)
        }
        let info = try CLI.run(["check", "--fail-on", "info", "samples/jitsi-token-repaired/prosody.cfg.lua"])
        XCTAssertEqual(info.status, 1, "OPT203 is an info finding")
    }

    func testUsageErrorsExitTwo() throws {
        XCTAssertEqual(try CLI.run(["check", "--no-such-flag", "x.cfg.lua"]).status, 2)
        XCTAssertEqual(try CLI.run(["check"]).status, 2)
        XCTAssertEqual(try CLI.run(["check", "--format", "yaml", "x"]).status, 2)
        XCTAssertEqual(try CLI.run(["check", "--output", "sarif", "samples/jitsi-token-seed/prosody.cfg.lua"]).status, 2)
        XCTAssertEqual(try CLI.run(["explain", "NOPE999"]).status, 2)
        XCTAssertEqual(try CLI.run(["nonsense"]).status, 2)
    }

    func testUnreadableInputExitsThree() throws {
        let missing = try CLI.run(["check", "/nonexistent/prosody.cfg.lua"])
        XCTAssertEqual(missing.status, 3)
        XCTAssertTrue(missing.stderr.contains("/nonexistent/prosody.cfg.lua"), missing.stderr)
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        XCTAssertEqual(try CLI.run(["check", dir.path]).status, 3, "a directory without prosody.cfg.lua")
        XCTAssertEqual(try CLI.run(["check", "--baseline", dir.appendingPathComponent("none.json").path,
                                    "samples/jitsi-token-seed/prosody.cfg.lua"]).status, 3)
    }

    func testStandardInputWithAName() throws {
        let result = try CLI.run(["check", "--format", "concise", "--stdin-filename", "conf/meet.cfg.lua", "-"],
                                 stdin: Data("VirtualHost \"example.com\"\n    authentication = token\n".utf8))
        XCTAssertEqual(result.status, 0, "CFG105 is a warning")
        XCTAssertTrue(result.stdout.contains("conf/meet.cfg.lua:2:"), result.stdout)
        XCTAssertTrue(result.stdout.contains("[CFG105]"))
    }
}
