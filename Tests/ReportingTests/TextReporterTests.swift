import Doctor
import LuaSyntax
import ProsodyConfig
import Reporting
import XCTest

final class TextReporterTests: XCTestCase {
    let file = "/etc/prosody/prosody.cfg.lua"
    lazy var sources = SourceFiles(texts: [file: Array("VirtualHost \"x\"\n\tapp_secret = \"hunter2\"\n\tallow_empty_token = true\n".utf8)])

    func location(line: Int, column: Int, length: Int) -> SourceLocation {
        SourceLocation(file: file, range: SourceRange(
            start: SourcePosition(offset: 0, line: line, column: column),
            end: SourcePosition(offset: 0, line: line, column: column + length)))
    }

    func finding(line: Int, column: Int, length: Int, related: [RelatedLocation] = []) -> Finding {
        Finding(ruleID: "JWT502", ruleName: "empty-token-masks-missing-token", severity: .warning,
                category: .correctness, message: "allow_empty_token = true on token host x",
                location: location(line: line, column: column, length: length), related: related,
                fix: FixSuggestion("Remove allow_empty_token."))
    }

    func testRustcStyleExcerptWithCaretUnderTheSpan() {
        let text = TextReporter().render(Report(findings: [finding(line: 3, column: 2, length: 17)], sources: sources, files: [file]))
        XCTAssertEqual(text, """
        warning[JWT502]: allow_empty_token = true on token host x
         --> /etc/prosody/prosody.cfg.lua:3:2
          |
        3 | \tallow_empty_token = true
          | \t^^^^^^^^^^^^^^^^^
          = help: Remove allow_empty_token.

        1 warning in 1 file

        """)
    }

    func testSecretsInExcerptsAreMasked() {
        let related = [RelatedLocation(location(line: 2, column: 2, length: 10), note: "secret set here")]
        let text = TextReporter().render(Report(findings: [finding(line: 3, column: 2, length: 17, related: related)],
                                                sources: sources, files: [file]))
        XCTAssertFalse(text.contains("hunter2"))
        XCTAssertTrue(text.contains(#"app_secret = "********""#))
        XCTAssertTrue(text.contains("(secret set here)"))
    }

    func testConciseAndJSONFormats() {
        let report = Report(findings: [finding(line: 3, column: 2, length: 17)], sources: sources, files: [file])
        XCTAssertEqual(ConciseReporter().render(report),
                       "/etc/prosody/prosody.cfg.lua:3:2: warning [JWT502] allow_empty_token = true on token host x\n1 warning\n")
        let json = JSONReporter().render(report)
        let object = try! JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        XCTAssertEqual(object["schema"] as? String, "prosody-doctor.findings/1")
        let first = (object["findings"] as! [[String: Any]])[0]
        XCTAssertEqual(first["rule"] as? String, "JWT502")
        XCTAssertEqual((first["location"] as! [String: Any])["line"] as? Int, 3)
        XCTAssertEqual((object["summary"] as! [String: Any])["warnings"] as? Int, 1)
    }

    func testNoFindingsSummary() {
        XCTAssertEqual(TextReporter().render(Report(findings: [], sources: sources, files: [file])),
                       "no problems found in 1 file\n")
    }
}
