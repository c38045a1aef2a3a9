import XCTest
@testable import LuaSyntax

final class RecoveryTests: XCTestCase {
    static let seed = """
    VirtualHost "meet.example.com"
        authentication = "token"
        app_id = "example_app_id"
        app_secret = "s3cret"
        allow_empty_token = true
        ssl = {
            key = "/etc/prosody/certs/meet.example.com.key";
            certificate = "/etc/prosody/certs/meet.example.com.crt";

    VirtualHost "guest.meet.example.com"
        authentication = "token"
        c2s_require_encryption = false

    Component "conference.meet.example.com" "muc"
        modules_enabled = { "token_verification" }

    """

    private func summary(_ stmts: [Statement]) -> [String] {
        stmts.map { s in
            switch s.kind {
            case .call(let e): return "call \(render(e))"
            case .assignment(let t, let v): return "\(t.map(render).joined(separator: ",")) = \(v.map(render).joined(separator: ","))"
            case .invalid: return "invalid \(s.range.start.line)-\(s.range.end.line)"
            default: return "other"
            }
        }
    }

    func testSeedCaseFirstErrorIsLuacs() {
        let r = LuaParser.parse(Self.seed)
        // `VirtualHost "guest..."` is a valid list item inside the open table, so luac
        // (5.4.4) only fails at the next line.
        XCTAssertEqual(r.errors.first?.line, 11)
        XCTAssertEqual(r.errors.first?.message, "'}' expected (to close '{' at line 6) near 'authentication'")
        XCTAssertEqual(r.errors.first?.range.start.column, 5)
    }

    func testSeedCaseRecoversLaterStatements() {
        let r = LuaParser.parse(Self.seed)
        XCTAssertEqual(summary(r.chunk.block.statements), [
            "call VirtualHost$s(\"meet.example.com\")",
            "authentication = \"token\"",
            "app_id = \"example_app_id\"",
            "app_secret = \"s3cret\"",
            "allow_empty_token = true",
            "invalid 6-10",
            "call VirtualHost$s(\"guest.meet.example.com\")",
            "authentication = \"token\"",
            "c2s_require_encryption = false",
            "call Component$s(\"conference.meet.example.com\")$s(\"muc\")",
            "modules_enabled = {\"token_verification\"}",
        ])
        XCTAssertEqual(r.errors.count, 1)
    }

    func testSeedCaseInLuacMode() {
        let r = LuaParser.parse(Self.seed, options: .luac)
        XCTAssertEqual(r.errors.first?.line, 11)
    }

    func testForwardResyncToColumnOneStatement() {
        let src = "a = = 1\n  b = 2\nc = 3\n"
        let r = LuaParser.parse(src)
        XCTAssertEqual(r.errors.first?.message, "unexpected symbol near '='")
        XCTAssertEqual(summary(r.chunk.block.statements), ["invalid 1-3", "c = 3"])
    }

    func testResyncToIndentedHostCall() {
        let src = "x = {\n  a = 1 b = 2\n  Component \"c.example\"\n    y = 3\n"
        let r = LuaParser.parse(src)
        XCTAssertEqual(r.errors.first?.message, "'}' expected (to close '{' at line 1) near 'b'")
        XCTAssertEqual(summary(r.chunk.block.statements), ["invalid 1-3", "call Component$s(\"c.example\")", "y = 3"])
    }

    func testMultipleErrorsAreCollected() {
        let src = "a = = 1\nb = 2\nc = ) 3\nd = 4\n"
        let r = LuaParser.parse(src)
        XCTAssertEqual(r.errors.map(\.line), [1, 3])
        XCTAssertEqual(r.errors.map(\.message), ["unexpected symbol near '='", "unexpected symbol near ')'"])
        XCTAssertEqual(summary(r.chunk.block.statements), ["invalid 1-2", "b = 2", "invalid 3-4", "d = 4"])
    }

    func testLexicalErrorRecovery() {
        let src = "a = \"unterminated\nb = 2\nc = '\\q'\nd = 4"
        let r = LuaParser.parse(src)
        XCTAssertEqual(r.errors.map(\.message), ["unfinished string near '\"unterminated'", "invalid escape sequence near ''\\q'"])
        XCTAssertEqual(summary(r.chunk.block.statements), ["invalid 1-2", "b = 2", "invalid 3-4", "d = 4"])
    }

    func testStrayEndRecovers() {
        let r = LuaParser.parse("a = 1\nend\nb = 2")
        XCTAssertEqual(r.errors.first?.message, "<eof> expected near 'end'")
        XCTAssertEqual(summary(r.chunk.block.statements), ["a = 1", "invalid 2-3", "b = 2"])
    }

    func testErrorCap() {
        let src = String(repeating: "x = = 1\n", count: 500)
        let r = LuaParser.parse(src, options: .init(maxErrors: 100))
        XCTAssertEqual(r.errors.count, 100)
        XCTAssertEqual(LuaParser.parse(src, options: .init(maxErrors: 3)).errors.count, 3)
    }

    func testRecoveryDoesNotLoopOnRepeatedErrors() {
        // A column-1 statement inside a broken function body is re-parsed at top level.
        let src = "function f()\nx = 1\ny = = 2\nend\nz = 3"
        let r = LuaParser.parse(src)
        XCTAssertEqual(r.errors.first?.message, "unexpected symbol near '='")
        XCTAssertEqual(r.errors.first?.line, 3)
        XCTAssertTrue(summary(r.chunk.block.statements).contains("z = 3"))
    }

    func testSemanticStateResetAfterRecovery() {
        // The broken statement's locals/labels must not leak; earlier top-level ones stay.
        let src = "local c <const> = 1\nlocal function f() local d <const> = 1 x = = 1 end\nd = 2\nc = 3"
        let r = LuaParser.parse(src)
        XCTAssertEqual(r.errors.map(\.message), ["unexpected symbol near '='", "attempt to assign to const variable 'c'"])
    }
}
