import Foundation
import XCTest

/// `check [--format F] FILE...` is read without ArgumentParser; the same request spelled
/// so that ArgumentParser reads it (`--format=F`, an explicit default) must give the same
/// output, status and errors.
final class QuickCheckTests: XCTestCase {
    func assertSame(_ quick: [String], _ parsed: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let a = try CLI.run(quick), b = try CLI.run(parsed)
        XCTAssertEqual(a.status, b.status, "\(quick)", file: file, line: line)
        XCTAssertEqual(a.stdout, b.stdout, "\(quick)", file: file, line: line)
        XCTAssertEqual(a.stderr, b.stderr, "\(quick)", file: file, line: line)
    }

    func testPlainCheckMatchesArgumentParser() throws {
        let samples = ["samples/jitsi-server-tree/etc/prosody/prosody.cfg.lua", "samples/xmpp-plain-server/etc/prosody/prosody.cfg.lua"]
        for format in ["concise", "text", "json", "sarif"] {
            try assertSame(["check", "--format", format] + samples, ["check", "--format=\(format)"] + samples)
        }
        try assertSame(["check"] + samples, ["check", "--color", "auto"] + samples)
        try assertSame(["check", samples[0]], ["check", "--min-severity", "hint", samples[0]])
    }

    func testErrorsMatchArgumentParser() throws {
        try assertSame(["check", "--format", "concise", "/nonexistent/prosody.cfg.lua"],
                       ["check", "--format=concise", "/nonexistent/prosody.cfg.lua"])
        try assertSame(["check", "--format", "concise", "samples"], ["check", "--format=concise", "samples"])
        // An unknown format is left to ArgumentParser's own message.
        let unknown = try CLI.run(["check", "--format", "yaml", "samples/xmpp-plain-server/etc/prosody/prosody.cfg.lua"])
        XCTAssertEqual(unknown.status, 2, unknown.stderr)
    }
}
