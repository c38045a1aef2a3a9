import XCTest
import Foundation
import LuaSyntax

/// The public surface other modules use (non-@testable import).
final class APITests: XCTestCase {
    func testEntryPointsAgree() {
        let src = "VirtualHost \"a\"\n  x = 1\n"
        let a = LuaParser.parse(src)
        let b = LuaParser.parse(Array(src.utf8))
        let c = LuaParser.parse(src, options: .prosody)
        let d = LuaParser.parse(Array(src.utf8), options: LuaParser.Options(skipShebangAndBOM: true))
        for r in [a, b, c, d] {
            XCTAssertTrue(r.errors.isEmpty)
            XCTAssertEqual(r.chunk.block.statements.count, 2)
        }
        XCTAssertFalse(LuaParser.Options().skipShebangAndBOM)
        XCTAssertTrue(LuaParser.Options.luac.skipShebangAndBOM)
        XCTAssertEqual(LuaParser.Options(maxErrors: 0).maxErrors, 1)
    }

    func testTypealiasesAvoidFoundationClash() {
        let r = LuaParser.parse("return 1")
        guard case .returnStatement(let values) = r.chunk.block.statements[0].kind else { return XCTFail() }
        let e: LuaExpression = values[0]
        guard case .number(.integer(1)) = e.kind else { return XCTFail() }
        let s: LuaStatement = r.chunk.block.statements[0]
        let b: LuaBlock = r.chunk.block
        XCTAssertEqual(s.range, b.range)
    }

    func testPublicLexer() {
        var lexer = Lexer(Array("local s = [==[x]==] -- c\n0x10".utf8))
        var kinds: [TokenKind] = []
        var t = lexer.next()
        while t.kind != .eof {
            kinds.append(t.kind)
            if t.kind == .string { XCTAssertEqual(t.stringValue, Array("x".utf8)); XCTAssertEqual(t.longLevel, 2) }
            if t.kind == .number { XCTAssertEqual(t.number, .integer(16)); XCTAssertTrue(t.isFirstOnLine) }
            if t.kind == .name { XCTAssertEqual(t.name, "s") }
            t = lexer.next()
        }
        XCTAssertEqual(kinds, [.kwLocal, .name, .char(UInt8(ascii: "=")), .string, .number])
        XCTAssertEqual(t.range.start.line, 2)
    }

    func testSyntaxErrorLineIsRangeStart() {
        let r = LuaParser.parse("x = 1\ny = ")
        XCTAssertEqual(r.errors.count, 1)
        XCTAssertEqual(r.errors[0].line, r.errors[0].range.start.line)
        XCTAssertEqual(r.errors[0].line, 2)
        XCTAssertEqual(r.errors[0].message, "unexpected symbol near <eof>")
    }

    func testParseFromManyThreadsConcurrently() {
        let src = String(repeating: "Component \"c\" \"muc\"\n  modules = { \"a\"; \"b\" }\n", count: 200)
        final class Counts: @unchecked Sendable {
            let lock = NSLock()
            var values: [Int] = []
        }
        let counts = Counts()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let n = LuaParser.parse(src).chunk.block.statements.count
            counts.lock.lock(); counts.values.append(n); counts.lock.unlock()
        }
        XCTAssertEqual(counts.values, Array(repeating: 400, count: 8))
    }
}
