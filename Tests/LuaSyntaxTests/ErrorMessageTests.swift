import XCTest
@testable import LuaSyntax

/// First errors compared with what `luac5.4 -p` prints (see LuacCases.swift).
final class ErrorMessageTests: XCTestCase {
    func testMatchesLuacOnRecordedCases() {
        XCTAssertGreaterThan(luacCases.count, 60)
        for c in luacCases {
            let r = LuaParser.parse(c.source, options: .luac)
            guard let expected = c.expected else {
                XCTAssertNil(r.errors.first, "\(c.name): luac accepts, we said \(r.errors.first.map { "\($0.line): \($0.message)" } ?? "")")
                continue
            }
            guard let first = r.errors.first else {
                XCTFail("\(c.name): luac rejects (\(expected.message)), we accept")
                continue
            }
            XCTAssertEqual(first.message, expected.message, c.name)
            if let line = expected.line {
                XCTAssertEqual(first.line, line, "\(c.name): line")
            }
        }
    }

    func testTooManyLocals() {
        let names = (0..<210).map { "a\($0)" }.joined(separator: ",")
        var r = LuaParser.parse("local a," + names)
        XCTAssertEqual(r.errors.first?.message, "too many local variables (limit is 200) in main function near ','")
        XCTAssertEqual(r.errors.first?.line, 1)
        r = LuaParser.parse("\nfunction f() local a," + names + " end")
        XCTAssertEqual(r.errors.first?.message, "too many local variables (limit is 200) in function at line 2 near ','")
        // 200 locals are fine.
        let ok = (0..<200).map { "b\($0)" }.joined(separator: ",")
        XCTAssertTrue(LuaParser.parse("local " + ok).errors.isEmpty)
    }

    func testNestingLimitMatchesLuac() {
        // luac 5.4.4: 197 nested braces pass, 198 fail with "C stack overflow".
        func braces(_ n: Int) -> String { "x = " + String(repeating: "{", count: n) + String(repeating: "}", count: n) }
        XCTAssertTrue(LuaParser.parse(braces(197)).errors.isEmpty)
        XCTAssertEqual(LuaParser.parse(braces(198)).errors.first?.message, "C stack overflow")
        func dos(_ n: Int) -> String { String(repeating: "do ", count: n) + String(repeating: " end", count: n) }
        XCTAssertTrue(LuaParser.parse(dos(198)).errors.isEmpty)
        XCTAssertEqual(LuaParser.parse(dos(199)).errors.first?.message, "C stack overflow")
        func funcs(_ n: Int) -> String {
            String(repeating: "f(function() ", count: n) + String(repeating: " end)", count: n)
        }
        XCTAssertTrue(LuaParser.parse(funcs(99)).errors.isEmpty)
        XCTAssertEqual(LuaParser.parse(funcs(100)).errors.first?.message, "C stack overflow")
        func concat(_ n: Int) -> String { "x = " + Array(repeating: "a", count: n).joined(separator: "..") }
        XCTAssertTrue(LuaParser.parse(concat(197)).errors.isEmpty)
        XCTAssertEqual(LuaParser.parse(concat(198)).errors.first?.message, "C stack overflow")
    }

    func testErrorRangePointsAtToken() {
        let src = "x = {\n  a = 1\n  b = 2\n}"
        let e = LuaParser.parse(src).errors.first
        XCTAssertEqual(e?.message, "'}' expected (to close '{' at line 1) near 'b'")
        XCTAssertEqual(e?.range.start, pos(16, 3, 3))
        XCTAssertEqual(e?.range.end, pos(17, 3, 4))
    }

    func testMultiLineTokenErrorReportsLastLine() {
        // luac reports the line where the (long string) token ends.
        let e = LuaParser.parse("x = 1 [[a\nb\nc]]").errors.first
        XCTAssertEqual(e?.line, 3)
        XCTAssertEqual(e?.message, "unexpected symbol near '[[a\nb\nc]]'")
    }

    func testLongTokenIsNotTruncated() {
        let long = String(repeating: "a", count: 300)
        let e = LuaParser.parse("x = {1 \"\(long)\"}").errors.first
        XCTAssertEqual(e?.message, "'}' expected near '\"\(long)\"'")
    }

    func testControlCharactersShownAsDecimal() {
        XCTAssertEqual(LuaParser.parse([0x78, 0x20, 0x3D, 0x20, 0x01]).errors.first?.message,
                       "unexpected symbol near '<\\1>'")
        XCTAssertEqual(LuaParser.parse([0x78, 0x20, 0x3D, 0x20, 0xFF]).errors.first?.message,
                       "unexpected symbol near '<\\255>'")
    }

    func testSemanticErrorsAreNotReportedBeforeEarlierSyntaxErrors() {
        // The pending `break` is only checked when the main function closes.
        let r = LuaParser.parse("break\nx = = 1")
        XCTAssertEqual(r.errors.first?.message, "unexpected symbol near '='")
        XCTAssertEqual(r.errors.first?.line, 2)
    }

    func testGotoResolution() {
        XCTAssertTrue(LuaParser.parse("goto done; do end ::done::").errors.isEmpty)
        XCTAssertTrue(LuaParser.parse("while true do goto continue; local x = 1; ::continue:: end").errors.isEmpty)
        XCTAssertTrue(LuaParser.parse("::top:: do goto top end").errors.isEmpty)
        XCTAssertTrue(LuaParser.parse("for i = 1, 2 do if i then break end end").errors.isEmpty)
        XCTAssertEqual(LuaParser.parse("do ::a:: end goto a").errors.first?.message,
                       "no visible label 'a' for <goto> at line 1")
        XCTAssertEqual(LuaParser.parse("while x do local function f() break end end").errors.first?.message,
                       "break outside loop at line 1")
    }

    func testConstChecks() {
        XCTAssertTrue(LuaParser.parse("local x <const> = 1; local x = 2; x = 3").errors.isEmpty)
        XCTAssertTrue(LuaParser.parse("local t <const> = {}; t.a = 1").errors.isEmpty)
        XCTAssertEqual(LuaParser.parse("local a, b <close> = 1, 2\na, b = 3, 4").errors.first?.message,
                       "attempt to assign to const variable 'b'")
    }
}
