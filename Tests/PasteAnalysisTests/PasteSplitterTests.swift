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
}
