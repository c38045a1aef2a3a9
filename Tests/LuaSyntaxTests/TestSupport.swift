import XCTest
@testable import LuaSyntax

/// Parses and fails the test on any error.
func parseClean(_ source: String, options: LuaParser.Options = .init(),
                file: StaticString = #filePath, line: UInt = #line) -> [Statement] {
    let r = LuaParser.parse(source, options: options)
    if let e = r.errors.first {
        XCTFail("unexpected error \(e.line): \(e.message)", file: file, line: line)
    }
    return r.chunk.block.statements
}

/// The expression of `return <source>`.
func parseExpression(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> LuaSyntax.Expression? {
    let stmts = parseClean("return " + source, file: file, line: line)
    guard stmts.count == 1, case .returnStatement(let values) = stmts[0].kind, values.count == 1 else {
        XCTFail("not a single expression", file: file, line: line)
        return nil
    }
    return values[0]
}

/// A compact S-expression rendering used to check tree shape (precedence etc.).
func render(_ e: LuaSyntax.Expression) -> String {
    switch e.kind {
    case .nilLiteral: return "nil"
    case .trueLiteral: return "true"
    case .falseLiteral: return "false"
    case .vararg: return "..."
    case .number(.integer(let i)): return "\(i)"
    case .number(.float(let d)): return "\(d)f"
    case .string(let s): return "\"\(s.text)\""
    case .function(let body): return "function(\(body.parameters.map(\.name).joined(separator: ","))\(body.isVariadic ? "..." : ""))"
    case .table(let fields):
        return "{" + fields.map { f -> String in
            switch f.kind {
            case .positional(let v): return render(v)
            case .named(let n, let v): return "\(n.name)=\(render(v))"
            case .keyed(let k, let v): return "[\(render(k))]=\(render(v))"
            }
        }.joined(separator: " ") + "}"
    case .binary(let op, let l, let r): return "(\(op.rawValue) \(render(l)) \(render(r)))"
    case .unary(let op, let x): return "(\(op.rawValue)u \(render(x)))"
    case .name(let n): return n
    case .index(let o, let k, let dotted):
        if dotted, case .string(let s) = k.kind { return "\(render(o)).\(s.text)" }
        return "\(render(o))[\(render(k))]"
    case .call(let f, let args, let style):
        return "\(render(f))\(styleMark(style))(\(args.map(render).joined(separator: ", ")))"
    case .methodCall(let o, let m, let args, let style):
        return "\(render(o)):\(m.name)\(styleMark(style))(\(args.map(render).joined(separator: ", ")))"
    case .parenthesized(let x): return "[\(render(x))]"
    case .invalid: return "<invalid>"
    }
}

private func styleMark(_ s: CallStyle) -> String {
    switch s {
    case .parentheses: return ""
    case .stringArgument: return "$s"
    case .tableArgument: return "$t"
    }
}

/// The source text a range covers.
func text(_ source: String, _ r: SourceRange) -> String {
    let b = Array(source.utf8)
    return String(decoding: b[r.start.offset..<r.end.offset], as: UTF8.self)
}

func pos(_ offset: Int, _ line: Int, _ column: Int) -> SourcePosition {
    SourcePosition(offset: offset, line: line, column: column)
}
