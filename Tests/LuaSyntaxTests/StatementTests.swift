import XCTest
@testable import LuaSyntax

final class StatementTests: XCTestCase {
    func testCallStatementsProsodyStyle() {
        let src = "Include \"conf.d/*.cfg.lua\"\nVirtualHost \"example.com\"\nComponent \"muc.example.com\" \"muc\"\nmodules_enabled = { \"roster\"; \"saslauth\" }"
        let stmts = parseClean(src)
        XCTAssertEqual(stmts.count, 4)
        guard case .call(let inc) = stmts[0].kind else { return XCTFail() }
        XCTAssertEqual(render(inc), "Include$s(\"conf.d/*.cfg.lua\")")
        guard case .call(let comp) = stmts[2].kind else { return XCTFail() }
        XCTAssertEqual(render(comp), "Component$s(\"muc.example.com\")$s(\"muc\")")
        XCTAssertEqual(text(src, stmts[2].range), "Component \"muc.example.com\" \"muc\"")
        guard case .assignment(let t, let v) = stmts[3].kind else { return XCTFail() }
        XCTAssertEqual(t.map(render), ["modules_enabled"])
        XCTAssertEqual(v.map(render), ["{\"roster\" \"saslauth\"}"])
        let offset = src.utf8.count - "modules_enabled = { \"roster\"; \"saslauth\" }".utf8.count
        XCTAssertEqual(stmts[3].range.start, pos(offset, 4, 1))
    }

    func testAssignment() {
        let src = "a, b.c, d[e] = 1, 2"
        let stmts = parseClean(src)
        guard case .assignment(let t, let v) = stmts[0].kind else { return XCTFail() }
        XCTAssertEqual(t.map(render), ["a", "b.c", "d[e]"])
        XCTAssertEqual(v.map(render), ["1", "2"])
        XCTAssertEqual(text(src, stmts[0].range), src)
    }

    func testLocals() {
        let src = "local a <const>, b <close>, c = 1, f()"
        let stmts = parseClean(src)
        guard case .local(let names, let values) = stmts[0].kind else { return XCTFail() }
        XCTAssertEqual(names.map(\.name.name), ["a", "b", "c"])
        XCTAssertEqual(names.map(\.attribute), ["const", "close", nil])
        XCTAssertEqual(text(src, names[1].name.range), "b")
        XCTAssertEqual(values.count, 2)
        let s2 = parseClean("local x")
        guard case .local(let n2, let v2) = s2[0].kind else { return XCTFail() }
        XCTAssertEqual(n2.count, 1)
        XCTAssertTrue(v2.isEmpty)
    }

    func testLocalFunctionAndFunctionStatements() {
        let src = "local function f(a, ...) return a end\nfunction a.b.c:m(x) end\nfunction g() end"
        let stmts = parseClean(src)
        XCTAssertEqual(stmts.count, 3)
        guard case .localFunction(let name, let body) = stmts[0].kind else { return XCTFail() }
        XCTAssertEqual(name.name, "f")
        XCTAssertEqual(body.parameters.map(\.name), ["a"])
        XCTAssertTrue(body.isVariadic)
        XCTAssertEqual(text(src, body.range), "(a, ...) return a end")
        XCTAssertEqual(body.body.statements.count, 1)
        guard case .function(let fname, let fbody) = stmts[1].kind else { return XCTFail() }
        XCTAssertEqual(fname.path.map(\.name), ["a", "b", "c"])
        XCTAssertEqual(fname.method?.name, "m")
        XCTAssertEqual(fbody.parameters.map(\.name), ["x"])
        XCTAssertFalse(fbody.isVariadic)
        XCTAssertEqual(text(src, fbody.range), "function a.b.c:m(x) end")
        guard case .function(let gname, _) = stmts[2].kind else { return XCTFail() }
        XCTAssertNil(gname.method)
    }

    func testControlStructures() {
        let src = """
        do local x = 1 end
        while x < 10 do x = x + 1 end
        repeat local y = 1 until y
        if a then b() elseif c then d() elseif e then else f() end
        if a then end
        for i = 1, 10, 2 do end
        for i = 1, 10 do break end
        for k, v in pairs(t) do end
        return
        """
        let stmts = parseClean(src)
        XCTAssertEqual(stmts.count, 9)
        guard case .doBlock(let b) = stmts[0].kind else { return XCTFail() }
        XCTAssertEqual(b.statements.count, 1)
        XCTAssertEqual(text(src, stmts[0].range), "do local x = 1 end")
        guard case .whileLoop(let cond, let wb) = stmts[1].kind else { return XCTFail() }
        XCTAssertEqual(render(cond), "(< x 10)")
        XCTAssertEqual(wb.statements.count, 1)
        guard case .repeatLoop(let rb, let rc) = stmts[2].kind else { return XCTFail() }
        XCTAssertEqual(rb.statements.count, 1)
        XCTAssertEqual(render(rc), "y")
        guard case .ifStatement(let clauses, let elseBlock) = stmts[3].kind else { return XCTFail() }
        XCTAssertEqual(clauses.count, 3)
        XCTAssertEqual(clauses.map { render($0.condition) }, ["a", "c", "e"])
        XCTAssertEqual(elseBlock?.statements.count, 1)
        guard case .ifStatement(_, let noElse) = stmts[4].kind else { return XCTFail() }
        XCTAssertNil(noElse)
        guard case .numericFor(let v, let s, let l, let step, _) = stmts[5].kind else { return XCTFail() }
        XCTAssertEqual(v.name, "i")
        XCTAssertEqual([s, l].map(render), ["1", "10"])
        XCTAssertEqual(step.map(render), "2")
        guard case .numericFor(_, _, _, let noStep, let fb) = stmts[6].kind else { return XCTFail() }
        XCTAssertNil(noStep)
        guard case .breakStatement = fb.statements.first?.kind else { return XCTFail() }
        guard case .genericFor(let vars, let exps, _) = stmts[7].kind else { return XCTFail() }
        XCTAssertEqual(vars.map(\.name), ["k", "v"])
        XCTAssertEqual(exps.map(render), ["pairs(t)"])
        guard case .returnStatement(let rv) = stmts[8].kind else { return XCTFail() }
        XCTAssertTrue(rv.isEmpty)
    }

    func testGotoAndLabels() {
        let src = "for i = 1, 3 do\n  goto continue\n  ::continue::\nend"
        let stmts = parseClean(src)
        guard case .numericFor(_, _, _, _, let body) = stmts[0].kind else { return XCTFail() }
        guard case .gotoStatement(let g) = body.statements[0].kind,
              case .label(let l) = body.statements[1].kind else { return XCTFail() }
        XCTAssertEqual(g.name, "continue")
        XCTAssertEqual(l.name, "continue")
        XCTAssertEqual(text(src, body.statements[1].range), "::continue::")
        XCTAssertEqual(l.range.start, pos(36, 3, 5))
    }

    func testSemicolonsAndReturnValues() {
        let stmts = parseClean(";;x = 1;; return 1, 2;")
        XCTAssertEqual(stmts.count, 2)
        guard case .returnStatement(let v) = stmts[1].kind else { return XCTFail() }
        XCTAssertEqual(v.count, 2)
    }

    func testBlockRanges() {
        let src = "do\n  x = 1\nend"
        let stmts = parseClean(src)
        guard case .doBlock(let b) = stmts[0].kind else { return XCTFail() }
        XCTAssertEqual(b.range.start, pos(5, 2, 3))
        XCTAssertEqual(b.range.end, pos(11, 3, 1))
        let r = LuaParser.parse(src)
        XCTAssertEqual(r.chunk.block.range.start, pos(0, 1, 1))
        XCTAssertEqual(r.chunk.block.range.end, pos(14, 3, 4))
    }

    func testEmptyChunk() {
        let r = LuaParser.parse("")
        XCTAssertTrue(r.errors.isEmpty)
        XCTAssertTrue(r.chunk.block.statements.isEmpty)
        XCTAssertTrue(LuaParser.parse("-- only a comment\n").errors.isEmpty)
    }

    func testLua51To53Syntax() {
        // Older-dialect code the 5.4 grammar must still accept.
        _ = parseClean("local t = {n = select('#', ...)}; for i = 1, #t do t[i] = unpack(t) end")
        _ = parseClean("x = a // b; y = a & b | c ~ d << 1 >> 2; z = ~a")
        _ = parseClean("local s = [[\nmulti]] .. [==[level]==]; module(...)")
    }
}
