import XCTest
@testable import LuaSyntax

final class LexerTests: XCTestCase {
    private func number(_ s: String, file: StaticString = #filePath, line: UInt = #line) -> LuaNumber? {
        guard let e = parseExpression(s, file: file, line: line), case .number(let n) = e.kind else {
            XCTFail("not a number: \(s)", file: file, line: line)
            return nil
        }
        return n
    }

    private func string(_ s: String, file: StaticString = #filePath, line: UInt = #line) -> [UInt8]? {
        guard let e = parseExpression(s, file: file, line: line), case .string(let v) = e.kind else {
            XCTFail("not a string: \(s)", file: file, line: line)
            return nil
        }
        return v.bytes
    }

    private func tokens(_ s: String) -> [Token] {
        var lx = Lexer(Array(s.utf8))
        var out: [Token] = []
        while true {
            let t = lx.next()
            out.append(t)
            if t.kind == .eof { return out }
        }
    }

    func testIntegers() {
        XCTAssertEqual(number("3"), .integer(3))
        XCTAssertEqual(number("0"), .integer(0))
        XCTAssertEqual(number("0xA"), .integer(10))
        XCTAssertEqual(number("0Xff"), .integer(255))
        XCTAssertEqual(number("9223372036854775807"), .integer(Int64.max))
        // Hex integers wrap around modulo 2^64.
        XCTAssertEqual(number("0xffffffffffffffff"), .integer(-1))
        XCTAssertEqual(number("0x10000000000000000"), .integer(0))
        XCTAssertEqual(number("0x7fffffffffffffff"), .integer(Int64.max))
    }

    func testDecimalOverflowBecomesFloat() {
        XCTAssertEqual(number("9223372036854775808"), .float(9223372036854775808.0))
        XCTAssertEqual(number("18446744073709551616"), .float(18446744073709551616.0))
    }

    func testFloats() {
        XCTAssertEqual(number("1e3"), .float(1000))
        XCTAssertEqual(number("1E-2"), .float(0.01))
        XCTAssertEqual(number("2e+2"), .float(200))
        XCTAssertEqual(number(".5"), .float(0.5))
        XCTAssertEqual(number("3."), .float(3))
        XCTAssertEqual(number("3.25"), .float(3.25))
        XCTAssertEqual(number("0x1p4"), .float(16))
        XCTAssertEqual(number("0xA.8p0"), .float(10.5))
        XCTAssertEqual(number("0x.8"), .float(0.5))
        XCTAssertEqual(number("0xA."), .float(10))
        XCTAssertEqual(number("0x1P-1"), .float(0.5))
    }

    func testMalformedNumbers() {
        for (src, near) in [("3x", "3x"), ("0x", "0x"), ("1e", "1e"), ("1e+", "1e+"), ("0x1p", "0x1p"),
                            ("3.x", "3.x"), ("1..2", "1..2"), ("08f", "08f"), ("3_", "3_")] {
            XCTAssertEqual(LuaParser.parse("x = " + src).errors.first?.message, "malformed number near '\(near)'", src)
        }
    }

    func testShortStringEscapes() {
        XCTAssertEqual(string(#""\a\b\f\n\r\t\v\\\"\'""#), [7, 8, 12, 10, 13, 9, 11, 92, 34, 39])
        XCTAssertEqual(string(#"'\x41\x7a\65\0\255'"#), [0x41, 0x7A, 65, 0, 255])
        XCTAssertEqual(string(#""\u{48}\u{e9}\u{20AC}""#), [0x48, 0xC3, 0xA9, 0xE2, 0x82, 0xAC])
        // Lua 5.4 encodes up to 2^31 - 1 in up to six bytes.
        XCTAssertEqual(string(#""\u{7FFFFFFF}""#), [0xFD, 0xBF, 0xBF, 0xBF, 0xBF, 0xBF])
        XCTAssertEqual(string(#""\u{10FFFF}\u{110000}""#), [0xF4, 0x8F, 0xBF, 0xBF, 0xF4, 0x90, 0x80, 0x80])
        XCTAssertEqual(string("\"a\\z  \n\t  b\""), Array("ab".utf8))
        XCTAssertEqual(string("\"a\\\nb\""), Array("a\nb".utf8))
        XCTAssertEqual(string("\"a\\\r\nb\""), Array("a\nb".utf8))
        XCTAssertEqual(string("'\u{e9}'"), [0xC3, 0xA9])
    }

    func testEscapeLinesAreCounted() {
        let stmts = parseClean("x = \"a\\\r\nb\\z\n\n  c\"\ny = 1")
        XCTAssertEqual(stmts.count, 2)
        XCTAssertEqual(stmts[0].range.end.line, 4)
        XCTAssertEqual(stmts[1].range.start.line, 5)
    }

    func testLongStrings() {
        XCTAssertEqual(string("[[\nabc]]"), Array("abc".utf8))
        XCTAssertEqual(string("[[\r\nabc]]"), Array("abc".utf8))
        XCTAssertEqual(string("[[\n\nabc]]"), Array("\nabc".utf8))
        XCTAssertEqual(string("[==[a]]b]=]c]==]"), Array("a]]b]=]c".utf8))
        XCTAssertEqual(string("[[x\r\ny\n\rz\rw]]"), Array("x\ny\nz\nw".utf8))
        XCTAssertEqual(string("[=[\\n]=]"), Array("\\n".utf8))
        guard let e = parseExpression("[==[x]==]"), case .string(let s) = e.kind else { return XCTFail() }
        XCTAssertTrue(s.isLong)
        XCTAssertEqual(e.range.end.column, 17)
    }

    func testComments() {
        var stmts = parseClean("--[[ multi\nline ]] x = 1")
        XCTAssertEqual(stmts.first?.range.start, pos(19, 2, 9))
        stmts = parseClean("--[==[ ]] ]=] ]==] x = 1 -- trailing\n-- whole line\ny = 2 --[=")
        XCTAssertEqual(stmts.count, 2)
        XCTAssertEqual(stmts[1].range.start.line, 3)
        // `--[=` without a second bracket is a short comment.
        stmts = parseClean("--[= not long\nx = 1")
        XCTAssertEqual(stmts.count, 1)
        stmts = parseClean("x = 1 --\ny = 2")
        XCTAssertEqual(stmts.count, 2)
    }

    func testLineEndingsCountedLikeLua() {
        let stmts = parseClean("a=1\r\nb=2\n\rc=3\rd=4\n\ne=5\r\rf=6")
        XCTAssertEqual(stmts.map { $0.range.start.line }, [1, 2, 3, 4, 6, 8])
        XCTAssertEqual(stmts.map { $0.range.start.column }, [1, 1, 1, 1, 1, 1])
    }

    func testTokenRangesCountBytes() {
        let toks = tokens("x = \"\u{e9}t\u{e9}\" .. y\n  z ~= 3")
        XCTAssertEqual(toks.map(\.kind), [.name, .char(0x3D), .string, .concat, .name, .name, .ne, .number, .eof])
        XCTAssertEqual(toks[2].range.start, pos(4, 1, 5))
        XCTAssertEqual(toks[2].range.end, pos(11, 1, 12))
        XCTAssertEqual(toks[4].range.start, pos(15, 1, 16))
        XCTAssertEqual(toks[5].range.start, pos(19, 2, 3))
        XCTAssertTrue(toks[5].isFirstOnLine)
        XCTAssertFalse(toks[6].isFirstOnLine)
        XCTAssertEqual(toks[8].range.start, pos(25, 2, 9))
    }

    func testAllSymbols() {
        let toks = tokens("+ - * / // % ^ # & ~ | << >> == ~= <= >= < > = ( ) { } [ ] :: ; : , . .. ...")
        XCTAssertEqual(toks.count, 34)
        XCTAssertEqual(toks[4].kind, .floorDiv)
        XCTAssertEqual(toks[11].kind, .shl)
        XCTAssertEqual(toks[12].kind, .shr)
        XCTAssertEqual(toks[26].kind, .dbColon)
        XCTAssertEqual(toks[31].kind, .concat)
        XCTAssertEqual(toks[32].kind, .dots)
    }

    func testKeywordsAndNames() {
        let toks = tokens("and break do else elseif end false for function goto if in local nil not or repeat return then true until while _x9 Local")
        XCTAssertEqual(toks[0].kind, .kwAnd)
        XCTAssertEqual(toks[21].kind, .kwWhile)
        XCTAssertEqual(toks[22].kind, .name)
        XCTAssertEqual(toks[22].name, "_x9")
        XCTAssertEqual(toks[23].name, "Local")
    }

    func testLexicalErrorsContinue() {
        let toks = tokens("\"abc\nx")
        XCTAssertEqual(toks[0].kind, .error)
        XCTAssertEqual(toks[0].errorMessage, "unfinished string near '\"abc'")
        XCTAssertEqual(toks[1].kind, .name)
    }
}
