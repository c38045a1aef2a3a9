import XCTest
@testable import ProsodyConfig

final class ProblemTests: XCTestCase {
    func testDuplicateOptions() {
        let c = load("""
        a = 1
        a = 2
        VirtualHost "h.example"
            a = 3
            b = {
                "x"
            }
            b = {
                "y"
            }
        VirtualHost "t.example" { c = 1 }
        VirtualHost "t.example" { c = 2 }
        VirtualHost "h.example"
            a = nil
        x = nil
        """)
        XCTAssertEqual(c.warnings.map(\.text), ["Duplicate option 'a'", "Duplicate option 'b'", "Duplicate option 'a'"])
        XCTAssertEqual(c.warnings.map(\.line), [2, 10, 14], "Lua reports the line of the value's last token")
        let dups = c.problems("duplicateOption")
        XCTAssertEqual(dups.count, 3)
        XCTAssertEqual(dups[0].related.first?.line, 1)
        XCTAssertEqual(dups[1].related.first?.line, 5)
        XCTAssertEqual(dups[2].related.first?.line, 4)
        XCTAssertEqual(dups[0].kind, .duplicateOption(name: "a", section: "*"))
        XCTAssertNil(c.value("h.example", "a"), "x = nil removes the option")
        XCTAssertFalse(c.prosodyWouldFail)
    }

    func testMultipleAssignmentWarnsRightToLeft() {
        let c = load("""
        b, c = 1, 2
        b, c = 1, 2
        """)
        XCTAssertEqual(c.warnings.map(\.text), ["Duplicate option 'c'", "Duplicate option 'b'"])
    }

    func testLongPathCrashIsReported() {
        let t = TempTree()
        let name = String(repeating: "x", count: 70) + ".cfg.lua"
        t.write(name, "a = 1\na = 2\n")
        let c = loader().load(path: t.path(name)).configuration
        XCTAssertEqual(c.problems("longPathWarningCrash").count, 1)
        XCTAssertTrue(c.prosodyWouldFail)
        XCTAssertNil(ConfigurationJSON.oracleFatalProblem(c), "the oracle style models --short-link")
    }

    func testByteOrderMarkAndShebang() {
        let bom = loader().load(bytes: [0xEF, 0xBB, 0xBF] + Array("a = 1\nVirtualHost \"x\"\nb = 2\n".utf8),
                                fileName: "/v/prosody.cfg.lua").configuration
        XCTAssertEqual(bom.problems("byteOrderMarkOrShebang").first?.location?.line, 1)
        XCTAssertEqual(bom.problems("byteOrderMarkOrShebang").first?.message, "unexpected symbol near '<\\239>'")
        XCTAssertTrue(bom.prosodyWouldFail)
        XCTAssertEqual(bom.value("*", "a"), .integer(1))
        XCTAssertEqual(bom.value("x", "b"), .integer(2))
        XCTAssertTrue(bom.problems("syntaxError").isEmpty, "the BOM is skipped for parsing")

        let shebang = load("#!/usr/bin/env lua\na = 1\n")
        XCTAssertEqual(shebang.problems("byteOrderMarkOrShebang").first?.message, "unexpected symbol near '#'")
        XCTAssertEqual(shebang.value("*", "a"), .integer(1))
        XCTAssertTrue(shebang.problems("syntaxError").isEmpty)
    }

    func testSyntaxErrorStillGivesAModelOfWhatFollows() {
        let c = load("""
        admins = { "admin@example.org" }
        modules_enabled = {
            "roster";
            "saslauth"
            "tls";
        }
        VirtualHost "example.org"
            after = true
        """)
        let errors = c.problems("syntaxError")
        XCTAssertFalse(errors.isEmpty)
        XCTAssertEqual(errors.first?.location?.line, 5)
        XCTAssertTrue(c.prosodyWouldFail)
        XCTAssertEqual(strings(c.value("*", "admins")), ["admin@example.org"])
        XCTAssertEqual(c.value("example.org", "after"), .boolean(true))
    }

    func testBadInputNeverCrashes() {
        let t = TempTree()
        t.write("binary.cfg.lua", bytes: [0x7F, 0x45, 0x4C, 0x46, 0, 0, 1, 2, 0xFF])
        t.write("latin1.cfg.lua", bytes: Array("-- caf".utf8) + [0xE9] + Array("\nx = 1\n".utf8))
        try? FileManager.default.createDirectory(atPath: t.path("dir.cfg.lua"), withIntermediateDirectories: true)

        let binary = loader().load(path: t.path("binary.cfg.lua")).configuration
        XCTAssertEqual(binary.problems("notText").count, 1)
        XCTAssertTrue(binary.prosodyWouldFail)

        let latin1 = loader().load(path: t.path("latin1.cfg.lua")).configuration
        XCTAssertEqual(latin1.problems("notText").count, 1)
        XCTAssertFalse(latin1.prosodyWouldFail, "Lua does not care about UTF-8")
        XCTAssertEqual(latin1.value("*", "x"), .integer(1))

        let dir = loader().load(path: t.path("dir.cfg.lua")).configuration
        XCTAssertEqual(dir.problems("unreadableFile").count, 1)
        XCTAssertEqual(dir.fatalProblem?.prosodyErrorKind, "file")

        let missing = loader().load(path: t.path("missing.cfg.lua")).configuration
        XCTAssertEqual(missing.problems("unreadableFile").first?.message, "\(t.path("missing.cfg.lua")): No such file or directory")

        let example = TempTree(["prosody.cfg.lua.example": "a = 1"])
        let noParser = loader().load(path: example.path("prosody.cfg.lua.example")).configuration
        XCTAssertEqual(noParser.fatalProblem?.message, "no parser for example")
        XCTAssertEqual(noParser.value("*", "a"), .integer(1), "still modelled")
    }

    func testHugeInputsFinishQuickly() {
        let start = Date()
        var big = Array("a = \"".utf8)
        big += [UInt8](repeating: UInt8(ascii: "x"), count: 50_000_000)
        big += Array("\"\nb = 1\n".utf8)
        let c = loader().load(bytes: big, fileName: "/v/big.cfg.lua").configuration
        XCTAssertEqual(c.value("*", "b"), .integer(1))
        let nested = Array("a = ".utf8) + [UInt8](repeating: UInt8(ascii: "{"), count: 100_000)
        let n = loader().load(bytes: nested, fileName: "/v/nested.cfg.lua").configuration
        XCTAssertFalse(n.problems.isEmpty)
        XCTAssertLessThan(Date().timeIntervalSince(start), 60)
    }
}

final class NestingTests: XCTestCase {
    /// Lua accepts ~200 nested table constructors; so must we (and render them).
    func testDeepButLegalNesting() {
        let depth = 190
        let text = "a = " + String(repeating: "{", count: depth) + String(repeating: "}", count: depth) + "\nb = 1\n"
        let c = load(text)
        XCTAssertEqual(c.value("*", "b"), .integer(1))
        var v = c.value("*", "a")
        var levels = 0
        while let t = v?.tableValue {
            levels += 1
            v = t.entries.first?.value
        }
        XCTAssertEqual(levels, depth)
        let json = ConfigurationJSON.render(c, style: .oracle)
        XCTAssertFalse(json.contains("<dynamic>"))
        XCTAssertEqual(json.components(separatedBy: "[\n").count - 1, depth - 1 + 2, "the nested arrays plus files and sections")
    }
}
