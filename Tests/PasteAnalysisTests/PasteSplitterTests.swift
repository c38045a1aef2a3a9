import Foundation
import PasteAnalysis
import XCTest

final class PasteSplitterTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    lazy var paste = try! String(contentsOf: Self.root.appendingPathComponent("samples/forum-paste/paste.txt"), encoding: .utf8)

    func testForumPasteSplitsIntoProseConfigLogAndVersion() {
        let split = PasteSplitter.split(paste)
        XCTAssertEqual(split.segments.map(\.kind), [.prose, .prosodyctl, .prose, .config, .prose, .log, .prose])
        let config = split.segments.first { $0.kind == .config }!
        XCTAssertEqual(config.lines, 9...28)
        XCTAssertEqual(split.segments.first { $0.kind == .log }!.lines, 33...36)
        XCTAssertEqual(split.prosodyVersion, "trunk nightly build 1377")
    }

    func testConfigAndLogTextsKeepPasteLineNumbers() {
        let split = PasteSplitter.split(paste)
        let configLines = split.configText.components(separatedBy: "\n")
        let pasteLines = paste.components(separatedBy: "\n")
        XCTAssertEqual(configLines.count, pasteLines.count)
        XCTAssertEqual(configLines[8], #"VirtualHost "meet.school.example""#)
        XCTAssertEqual(configLines[0], "", "prose is blanked out of the config text")
        XCTAssertTrue(split.logText.components(separatedBy: "\n")[32].contains("Session token: nil"))
    }

    func testQuotedAndUnfencedLines() {
        let split = PasteSplitter.split("""
        > VirtualHost "x.example"
        >     authentication = "token"
        I think this is wrong.
        Mar 03 12:00:00 general\tinfo\tHello
        """)
        XCTAssertEqual(split.segments.map(\.kind), [.config, .prose, .log])
        XCTAssertEqual(split.configText.components(separatedBy: "\n")[1], #"      authentication = "token""#)
        XCTAssertNil(split.prosodyVersion)
    }

    func testVersionFromAbout() {
        XCTAssertEqual(PasteSplitter.split("Prosody 0.12.4\n\n# Prosody directories\nData directory: /var/lib/prosody").prosodyVersion, "0.12.4")
    }

    // MARK: the seed thread (samples/forum-thread/paste.txt)

    lazy var thread = try! String(contentsOf: Self.root.appendingPathComponent("samples/forum-thread/paste.txt"), encoding: .utf8)

    func testSeedThreadSplitsIntoConfigLogAndVersion() {
        let split = PasteSplitter.split(thread)
        XCTAssertEqual(split.prosodyVersion, "trunk nightly build 1377")
        XCTAssertEqual(split.segments.filter { $0.kind == .config }.count, 1, "the config is one block: \(split.segments)")
        let log = split.segments.filter { $0.kind == .log }
        XCTAssertEqual(log.count, 1)
        let logLine = split.logText.components(separatedBy: "\n")[log[0].lines.lowerBound - 1]
        XCTAssertTrue(logLine.contains("Session token: nil") && logLine.contains("skip affiliation, no token"))
        XCTAssertTrue(split.segments.contains { $0.kind == .prosodyctl })
    }

    func testSeedThreadLostBraceIsPutBackWithoutMovingLines() {
        let split = PasteSplitter.split(thread)
        XCTAssertEqual(split.repairs.count, 1)
        let repair = split.repairs[0]
        let pasteLines = thread.components(separatedBy: "\n")
        XCTAssertTrue(pasteLines[repair.openedAt - 1].contains("modules_enabled = {"))
        XCTAssertTrue(pasteLines[repair.line - 1].contains("\"conference_duration\";"))
        let configLines = split.configText.components(separatedBy: "\n")
        XCTAssertEqual(configLines.count, pasteLines.count)
        XCTAssertEqual(configLines[repair.line - 1], pasteLines[repair.line - 1] + " }")
    }

    func testLostBraceBeforeASectionAndAtTheEnd() {
        let text = """
        modules_enabled = {
            "bosh";
            "ping";
        VirtualHost "a.example"
            admins = { "x@a.example"
        Jan 05 10:17:54 general\tinfo\tHello
        """
        let split = PasteSplitter.split(text)
        XCTAssertEqual(split.repairs.map(\.line), [3, 5])
        let lines = split.configText.components(separatedBy: "\n")
        XCTAssertEqual(lines[2], #"    "ping"; }"#)
        XCTAssertEqual(lines[4], #"    admins = { "x@a.example" }"#)
    }

    func testNoRepairWithoutALogOrWhenTheLogReportsTheSyntaxError() {
        let config = "modules_enabled = {\n    \"bosh\";\nallow_registration = false\n"
        XCTAssertEqual(PasteSplitter.split(config).repairs, [], "a config alone is taken as it is")
        let withError = config + "Jan 05 10:17:54 general\terror\tError loading config file: prosody.cfg.lua:3: '}' expected (to close '{' at line 1) near 'allow_registration'\n"
        XCTAssertEqual(PasteSplitter.split(withError).repairs, [])
    }

    func testTablesOfOptionsAndClosedTablesAreLeftAlone() {
        let text = """
        ssl = {
        key = "/etc/prosody/certs/a.key";
        certificate = "/etc/prosody/certs/a.crt";
        }
        modules_enabled = { "bosh"; -- { not a brace
            "ping";
        }
        log = { info = "/var/log/prosody/prosody.log"; }
        Jan 05 10:17:54 general\tinfo\tHello
        """
        XCTAssertEqual(PasteSplitter.split(text).repairs, [])
    }
}
