import XCTest
@testable import LuaSyntax

final class ExpressionTests: XCTestCase {
    private func shape(_ s: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        parseExpression(s, file: file, line: line).map(render) ?? "?"
    }

    func testPrecedenceLadder() {
        XCTAssertEqual(shape("a or b and c"), "(or a (and b c))")
        XCTAssertEqual(shape("a and b < c"), "(and a (< b c))")
        XCTAssertEqual(shape("a < b | c"), "(< a (| b c))")
        XCTAssertEqual(shape("a | b ~ c"), "(| a (~ b c))")
        XCTAssertEqual(shape("a ~ b & c"), "(~ a (& b c))")
        XCTAssertEqual(shape("a & b << c"), "(& a (<< b c))")
        XCTAssertEqual(shape("a >> b .. c"), "(>> a (.. b c))")
        XCTAssertEqual(shape("a .. b + c"), "(.. a (+ b c))")
        XCTAssertEqual(shape("a - b * c"), "(- a (* b c))")
        XCTAssertEqual(shape("a // b % c / d"), "(/ (% (// a b) c) d)")
        XCTAssertEqual(shape("-a * b"), "(* (-u a) b)")
        XCTAssertEqual(shape("-a ^ b"), "(-u (^ a b))")
        XCTAssertEqual(shape("not a == b"), "(== (notu a) b)")
        XCTAssertEqual(shape("#t + 1"), "(+ (#u t) 1)")
        XCTAssertEqual(shape("~a & b"), "(& (~u a) b)")
        XCTAssertEqual(shape("2 ^ -3"), "(^ 2 (-u 3))")
    }

    func testAssociativity() {
        XCTAssertEqual(shape("a - b - c"), "(- (- a b) c)")
        XCTAssertEqual(shape("a .. b .. c"), "(.. a (.. b c))")
        XCTAssertEqual(shape("a ^ b ^ c"), "(^ a (^ b c))")
        XCTAssertEqual(shape("a < b == c"), "(== (< a b) c)")
        XCTAssertEqual(shape("a or b or c"), "(or (or a b) c)")
        XCTAssertEqual(shape("- - a"), "(-u (-u a))")
    }

    func testComparisonOperators() {
        XCTAssertEqual(shape("a <= b ~= c >= d > e"), "(> (>= (~= (<= a b) c) d) e)")
    }

    func testCallsAndIndexing() {
        XCTAssertEqual(shape("f\"s\""), "f$s(\"s\")")
        XCTAssertEqual(shape("f[[s]]"), "f$s(\"s\")")
        XCTAssertEqual(shape("f{1, x = 2, [3] = 4; 5}"), "f$t({1 x=2 [3]=4 5})")
        XCTAssertEqual(shape("o:m(1, 2)"), "o:m(1, 2)")
        XCTAssertEqual(shape("o:m\"x\""), "o:m$s(\"x\")")
        XCTAssertEqual(shape("o:m{}"), "o:m$t({})")
        XCTAssertEqual(shape("a.b.c[d](e):f()"), "a.b.c[d](e):f()")
        XCTAssertEqual(shape("(f)()"), "[f]()")
        XCTAssertEqual(shape("(...)"), "[...]")
        XCTAssertEqual(shape("f()()"), "f()()")
    }

    func testLiterals() {
        XCTAssertEqual(shape("nil"), "nil")
        XCTAssertEqual(shape("true"), "true")
        XCTAssertEqual(shape("false"), "false")
        XCTAssertEqual(shape("..."), "...")
        XCTAssertEqual(shape("function(a, b, ...) end"), "function(a,b...)")
        XCTAssertEqual(shape("{}"), "{}")
        XCTAssertEqual(shape("{1, 2,}"), "{1 2}")
    }

    func testRanges() {
        let src = "return a + (b * c), f(x)\n  .y, {k = 1}"
        let stmts = parseClean(src)
        guard case .returnStatement(let v) = stmts[0].kind else { return XCTFail() }
        XCTAssertEqual(text(src, v[0].range), "a + (b * c)")
        if case .binary(_, let l, let r) = v[0].kind {
            XCTAssertEqual(text(src, l.range), "a")
            XCTAssertEqual(text(src, r.range), "(b * c)")
            if case .parenthesized(let inner) = r.kind { XCTAssertEqual(text(src, inner.range), "b * c") }
            else { XCTFail() }
        } else { XCTFail() }
        XCTAssertEqual(text(src, v[1].range), "f(x)\n  .y")
        XCTAssertEqual(v[1].range.end, pos(29, 2, 5))
        if case .index(let o, let key, let dotted) = v[1].kind {
            XCTAssertTrue(dotted)
            XCTAssertEqual(text(src, o.range), "f(x)")
            XCTAssertEqual(text(src, key.range), "y")
        } else { XCTFail() }
        XCTAssertEqual(text(src, v[2].range), "{k = 1}")
        if case .table(let fields) = v[2].kind {
            XCTAssertEqual(text(src, fields[0].range), "k = 1")
            if case .named(let n, _) = fields[0].kind { XCTAssertEqual(text(src, n.range), "k") } else { XCTFail() }
        } else { XCTFail() }
        XCTAssertEqual(text(src, stmts[0].range), src)
    }

    func testMethodCallRanges() {
        let src = "x = obj:method \"arg\""
        let stmts = parseClean(src)
        guard case .assignment(_, let values) = stmts[0].kind,
              case .methodCall(let o, let m, let args, let style) = values[0].kind else { return XCTFail() }
        XCTAssertEqual(text(src, values[0].range), "obj:method \"arg\"")
        XCTAssertEqual(text(src, o.range), "obj")
        XCTAssertEqual(text(src, m.range), "method")
        XCTAssertEqual(text(src, args[0].range), "\"arg\"")
        XCTAssertEqual(style, .stringArgument)
    }

    func testChainLimit() {
        let ok = "x = " + Array(repeating: "a", count: 1000).joined(separator: " + ")
        XCTAssertTrue(LuaParser.parse(ok).errors.isEmpty)
        let tooLong = "x = " + Array(repeating: "a", count: 1002).joined(separator: " + ")
        XCTAssertEqual(LuaParser.parse(tooLong).errors.first?.message,
                       "expression too complex (more than 1000 chained operations)")
        let fields = "x = a" + String(repeating: ".b", count: 1001)
        XCTAssertFalse(LuaParser.parse(fields).errors.isEmpty)
    }
}
