import Doctor
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import LuaSyntax
import ProsodyConfig
import Reporting
import XCTest

final class MachineFormatTests: XCTestCase {
    let file = "conf/a,b:c.cfg.lua"
    lazy var sources = SourceFiles(texts: [file: Array("admins = {}\nadmins = {}\n".utf8)])

    func finding(_ message: String, line: Int = 2) -> Finding {
        Finding(ruleID: "CFG103", ruleName: "duplicate-option-in-section", severity: .warning, category: .correctness,
                message: message,
                location: SourceLocation(file: file, range: SourceRange(start: SourcePosition(offset: 0, line: line, column: 1),
                                                                         end: SourcePosition(offset: 0, line: line, column: 7))),
                fix: FixSuggestion("Keep one\nassignment"))
    }

    func testGitHubCommandsEscapePercentNewlinesColonsAndCommas() {
        let out = GitHubReporter().render(Report(findings: [finding("100% sure: a, b\r\nnext")], sources: sources, files: [file]))
        XCTAssertEqual(out, "::warning file=conf/a%2Cb%3Ac.cfg.lua,line=2,col=1,title=CFG103 duplicate-option-in-section::100%25 sure: a, b%0D%0Anext%0Ahelp: Keep one%0Aassignment\n")
    }

    func testGitHubStepSummaryIsAMarkdownTable() {
        let summary = GitHubReporter().stepSummary(Report(findings: [finding("x | y")], sources: sources, files: [file]))
        XCTAssertTrue(summary.contains("| warning | CFG103 | `conf/a,b:c.cfg.lua:2` | x \\| y |"))
    }

    func testGitLabCheckstyleAndJUnitAreWellFormed() throws {
        let report = Report(findings: [finding("a <b> & \"c\"")], sources: sources, files: [file])
        let gitlab = try JSONSerialization.jsonObject(with: Data(GitLabReporter().render(report).utf8)) as! [[String: Any]]
        XCTAssertEqual(gitlab.first?["severity"] as? String, "major")
        XCTAssertEqual(((gitlab.first?["location"] as? [String: Any])?["lines"] as? [String: Int])?["begin"], 2)
        XCTAssertEqual((gitlab.first?["fingerprint"] as? String)?.count, 16)
        for xml in [CheckstyleReporter().render(report), JUnitReporter().render(report)] {
            XCTAssertNoThrow(try XMLDocument(xmlString: xml), xml)
            XCTAssertTrue(xml.contains("a &lt;b&gt; &amp; &quot;c&quot;"))
        }
    }

    func testFingerprintsIgnoreLineNumbersButNotContent() {
        let moved = SourceFiles(texts: [file: Array("-- new first line\nadmins = {}\nadmins   =  {}\n".utf8)])
        let a = Fingerprint.of([finding("m", line: 2)], sources: sources)
        let b = Fingerprint.of([finding("m", line: 3)], sources: moved)
        XCTAssertEqual(a, b, "same rule, file and normalised line content")
        let changed = SourceFiles(texts: [file: Array("admins = {}\nadmins = { \"x\" }\n".utf8)])
        XCTAssertNotEqual(a, Fingerprint.of([finding("m", line: 2)], sources: changed))
    }

    func testBaselineRoundTripReportsOnlyNewFindings() throws {
        let old = finding("old", line: 1)
        let (_, document) = Baseline.make(findings: [old], sources: sources)
        let baseline = try Baseline.parse(Data(document.utf8), path: "b.json")
        let new = finding("new", line: 2)
        let sources2 = SourceFiles(texts: [file: Array("admins = {}\nmodules_enabled = {}\n".utf8)])
        XCTAssertEqual(baseline.newFindings([old, new], sources: sources2).map(\.message), ["new"])
    }

    func testBaselineRejectsBadFiles() {
        XCTAssertThrowsError(try Baseline.parse(Data("[1,2]".utf8), path: "b.json")) { XCTAssertTrue("\($0)".contains("b.json")) }
        XCTAssertThrowsError(try Baseline.parse(Data(#"{"schema":"other/1","findings":[]}"#.utf8), path: "b.json"))
        XCTAssertThrowsError(try Baseline.parse(Data(#"{"schema":"prosody-doctor.baseline/1","findings":[{}]}"#.utf8), path: "b.json")) {
            XCTAssertTrue("\($0)".contains("finding 1 has no fingerprint"))
        }
    }

    func testMarkdownAndHTMLCarryFixesAndMaskSecrets() {
        let secretSources = SourceFiles(texts: [file: Array("app_secret = \"hunter2\"\napp_secret = \"x\"\n".utf8)])
        let report = Report(findings: [finding("dup", line: 1)], sources: secretSources, files: [file])
        let markdown = MarkdownReporter().render(report)
        XCTAssertTrue(markdown.contains("**Fix:** Keep one"))
        XCTAssertTrue(markdown.contains("<details>"))
        XCTAssertFalse(markdown.contains("hunter2"))
        let html = HTMLReporter().render(report)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertFalse(html.contains("hunter2"))
        XCTAssertFalse(html.contains("http://") || html.contains("src="), "no external assets")
    }
}
