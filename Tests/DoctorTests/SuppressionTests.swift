import Doctor
import LuaSyntax
import ProsodyConfig
import XCTest

final class SuppressionTests: XCTestCase {
    let file = "p.cfg.lua"

    func finding(_ id: String, line: Int) -> Finding {
        Finding(ruleID: id, ruleName: "x", severity: .warning, category: .correctness, message: "m",
                location: SourceLocation(file: file, range: SourceRange(start: SourcePosition(offset: 0, line: line, column: 1),
                                                                         end: SourcePosition(offset: 0, line: line, column: 2))))
    }

    func parse(_ text: String) -> SuppressionSet {
        SuppressionSet.parse(SourceFiles(texts: [file: Array(text.utf8)]), knownRule: RuleCatalogue.embedded.knows)
    }

    func testSameLineNextLineRangeAndFileDirectives() {
        let set = parse("""
        a = 1 -- prosody-doctor: ignore[CFG103] same line
        -- prosody-doctor: ignore[CFG105] next code line

        b = 2
        -- prosody-doctor: disable[LUA]
        c = 3
        d = 4
        -- prosody-doctor: enable[LUA]
        e = 5
        """)
        XCTAssertTrue(set.malformed.isEmpty, "\(set.malformed)")
        let findings = [finding("CFG103", line: 1), finding("CFG105", line: 4), finding("LUA001", line: 6),
                        finding("LUA001", line: 7), finding("LUA001", line: 9), finding("CFG103", line: 4)]
        let (kept, unused) = set.apply(to: findings)
        XCTAssertEqual(kept.map { "\($0.ruleID)@\($0.location!.line)" }, ["LUA001@9", "CFG103@4"])
        XCTAssertTrue(unused.isEmpty)
        let whole = parse("-- prosody-doctor: file-ignore[CFG1] generated file\nx = 1\n")
        XCTAssertEqual(whole.apply(to: [finding("CFG103", line: 2), finding("LUA001", line: 2)]).kept.map(\.ruleID), ["LUA001"])
    }

    func testMalformedDirectivesAreReported() {
        let set = parse("""
        a = 1 -- prosody-doctor: ignore CFG103
        b = 1 -- prosody-doctor: ignore[]
        c = 1 -- prosody-doctor: ignore[NOPE999] why
        -- prosody-doctor: enable[CFG103]
        """)
        XCTAssertEqual(set.malformed.map(\.location.line), [1, 2, 3, 4])
        XCTAssertTrue(set.malformed[2].problem.contains("NOPE999"))
        XCTAssertTrue(set.malformed[3].problem.contains("without a matching disable"))
    }

    func testUnusedDirectivesAreReturned() {
        let set = parse("a = 1 -- prosody-doctor: ignore[CFG103] stale\n")
        let (kept, unused) = set.apply(to: [finding("LUA001", line: 1)])
        XCTAssertEqual(kept.count, 1)
        XCTAssertEqual(unused.map(\.location.line), [1])
    }
}
