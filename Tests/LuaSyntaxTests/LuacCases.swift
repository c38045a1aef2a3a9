// Expected outputs captured from `luac5.4 -p` (Lua 5.4.4) on Debian; regenerate by
// running luac on each source if the reference Lua changes.

struct LuacCase {
    var name: String
    var source: [UInt8]
    /// nil when luac accepts the chunk; otherwise (line luac prints, if any; message).
    var expected: (line: Int?, message: String)?
    init(_ name: String, _ source: [UInt8], _ expected: (Int?, String)?) {
        self.name = name
        self.source = source
        self.expected = expected.map { (line: $0.0, message: $0.1) }
    }
}

let luacCases: [LuacCase] = [
        LuacCase("table missing separator", Array("x = {\n\"a\"\n\"b\"".utf8), (3, "'}' expected (to close '{' at line 1) near '\"b\"'")),
        LuacCase("unfinished string at eof", Array("x = \"abc".utf8), (1, "unfinished string near <eof>")),
        LuacCase("unfinished string at newline", Array("x = \"abc\ny = 1".utf8), (1, "unfinished string near '\"abc'")),
        LuacCase("unfinished long string", Array("x = [[abc\n\n".utf8), (3, "unfinished long string (starting at line 1) near <eof>")),
        LuacCase("unfinished long comment", Array("--[==[abc\n\n".utf8), (3, "unfinished long comment (starting at line 1) near <eof>")),
        LuacCase("malformed number", Array("x = 3x".utf8), (1, "malformed number near '3x'")),
        LuacCase("malformed number hex digits", Array("x = 3abc".utf8), (1, "malformed number near '3abc'")),
        LuacCase("malformed hex", Array("x = 0x".utf8), (1, "malformed number near '0x'")),
        LuacCase("malformed exponent", Array("x = 1e".utf8), (1, "malformed number near '1e'")),
        LuacCase("malformed dots", Array("x = 1..2".utf8), (1, "malformed number near '1..2'")),
        LuacCase("malformed dot hex", Array("x = .0xo".utf8), (1, "malformed number near '.0xo'")),
        LuacCase("invalid escape", Array("x = \"a\\qb\"".utf8), (1, "invalid escape sequence near '\"a\\q'")),
        LuacCase("decimal escape too large", Array("x = \"\\300\"".utf8), (1, "decimal escape too large near '\"\\300\"'")),
        LuacCase("utf8 too large", Array("x = \"\\u{80000000}\"".utf8), (1, "UTF-8 value too large near '\"\\u{80000000'")),
        LuacCase("hex digit expected", Array("x = \"\\xg\"".utf8), (1, "hexadecimal digit expected near '\"\\xg'")),
        LuacCase("hex digit expected second", Array("x = \"\\x5g\"".utf8), (1, "hexadecimal digit expected near '\"\\x5g'")),
        LuacCase("missing brace open", Array("x = \"\\u123\"".utf8), (1, "missing '{' near '\"\\u1'")),
        LuacCase("missing brace close", Array("x = \"\\u{12\"".utf8), (1, "missing '}' near '\"\\u{12\"'")),
        LuacCase("u escape hex expected", Array("x = \"\\u{g}\"".utf8), (1, "hexadecimal digit expected near '\"\\u{g'")),
        LuacCase("invalid long delimiter", Array("x = [==abc".utf8), (1, "invalid long string delimiter near '[=='")),
        LuacCase("break outside loop", Array("break".utf8), (1, "break outside loop at line 1")),
        LuacCase("break reported at eof line", Array("while true do end\nbreak\nx = 1\n\ny = 2".utf8), (5, "break outside loop at line 2")),
        LuacCase("no visible label", Array("goto foo".utf8), (1, "no visible label 'foo' for <goto> at line 1")),
        LuacCase("label repeated", Array("::a:: ::a::".utf8), (1, "label 'a' already defined on line 1")),
        LuacCase("label repeated nested", Array("::a:: do ::a:: end".utf8), (1, "label 'a' already defined on line 1")),
        LuacCase("jump into scope", Array("goto a; local x; ::a:: print(x)".utf8), (1, "<goto a> at line 1 jumps into the scope of local 'x'")),
        LuacCase("assign const", Array("local x <const> = 1; x = 2".utf8), (1, "attempt to assign to const variable 'x'")),
        LuacCase("function assigns close var", Array("local x <close> = nil\nfunction x() end".utf8), (2, "attempt to assign to const variable 'x'")),
        LuacCase("assign const upvalue", Array("local x <const> = 1\nfunction f() x = 2 end".utf8), (2, "attempt to assign to const variable 'x'")),
        LuacCase("unknown attribute", Array("local x <foo> = 1".utf8), (1, "unknown attribute 'foo'")),
        LuacCase("two to-be-closed", Array("local x <close>, y <close> = 1".utf8), (1, "multiple to-be-closed variables in local list")),
        LuacCase("syntax error at eof", Array("x".utf8), (1, "syntax error near <eof>")),
        LuacCase("syntax error call target", Array("f() = 1".utf8), (1, "syntax error near '='")),
        LuacCase("syntax error paren target", Array("(a) = 1".utf8), (1, "syntax error near '='")),
        LuacCase("bom luac mode", [0xEF, 0xBB, 0xBF, 0x78, 0x20, 0x3D, 0x20, 0x3D, 0x20, 0x31], (1, "unexpected symbol near '='")),
        LuacCase("shebang luac mode", Array("#!/usr/bin/lua\nx = = 1".utf8), (2, "unexpected symbol near '='")),
        LuacCase("end expected function", Array("function f()\nx = 1\n\n".utf8), (4, "'end' expected (to close 'function' at line 1) near <eof>")),
        LuacCase("local function line quirk", Array("local function f\n()\nx = 1".utf8), (3, "'end' expected (to close 'function' at line 2) near <eof>")),
        LuacCase("paren close line quirk", Array("f\n(\n1\n".utf8), (4, "')' expected (to close '(' at line 1) near <eof>")),
        LuacCase("string near shows processed escape", Array("x = 1 \"\\n\"".utf8), (1, "unexpected symbol near '\"\n\"'")),
        LuacCase("near processed escapes", Array("x = {1 \"a\\tb\\65\"}".utf8), (1, "'}' expected near '\"a\tbA\"'")),
        LuacCase("near long string multi-line", Array("x = {1 [[a\nb]]}".utf8), (2, "'}' expected (to close '{' at line 1) near '[[a\nb]]'")),
        LuacCase("eof line counting", Array("x = \n\n".utf8), (3, "unexpected symbol near <eof>")),
        LuacCase("mixed line endings", Array("x = 1\r\ny = 2\n\rz = 3\r\r= 4".utf8), (5, "unexpected symbol near '='")),
        LuacCase("nul byte no near", Array("x = 1\u{0}".utf8), (1, "unexpected symbol")),
        LuacCase("unexpected at", Array("x = @".utf8), (1, "unexpected symbol near '@'")),
        LuacCase("unexpected eof", Array("x = 1 +".utf8), (1, "unexpected symbol near <eof>")),
        LuacCase("elseif after else", Array("if x then\nelse\nelseif".utf8), (3, "'end' expected (to close 'if' at line 1) near 'elseif'")),
        LuacCase("for = or in", Array("for i do end".utf8), (1, "'=' or 'in' expected near 'do'")),
        LuacCase("for name expected", Array("for 1 do end".utf8), (1, "<name> expected near '1'")),
        LuacCase("param expected", Array("function f(a, 1) end".utf8), (1, "<name> or '...' expected near '1'")),
        LuacCase("vararg outside", Array("function f() return ... end".utf8), (1, "cannot use '...' outside a vararg function near '...'")),
        LuacCase("eof expected after return", Array("return 1\nx = 2".utf8), (2, "<eof> expected near 'x'")),
        LuacCase("function arguments expected", Array("x = a:b".utf8), (1, "function arguments expected near <eof>")),
        LuacCase("name expected after dot", Array("x = a.1".utf8), (1, "unexpected symbol near '.1'")),
        LuacCase("then expected", Array("if x y".utf8), (1, "'then' expected near 'y'")),
        LuacCase("do expected", Array("while x y".utf8), (1, "'do' expected near 'y'")),
        LuacCase("until expected", Array("repeat x = 1".utf8), (1, "'until' expected near <eof>")),
        LuacCase("until expected with line", Array("repeat\nx = 1\n".utf8), (3, "'until' expected (to close 'repeat' at line 1) near <eof>")),
        LuacCase("end expected do", Array("do x = 1".utf8), (1, "'end' expected near <eof>")),
        LuacCase("equals expected keyed", Array("x = {[1] 2}".utf8), (1, "'=' expected near '2'")),
        LuacCase("paren expected", Array("x = f(1, 2".utf8), (1, "')' expected near <eof>")),
        LuacCase("bracket expected", Array("x = a[1".utf8), (1, "']' expected near <eof>")),
        LuacCase("local name expected", Array("local 1 = 2".utf8), (1, "<name> expected near '1'")),
        LuacCase("goto name expected", Array("goto 1".utf8), (1, "<name> expected near '1'")),
        LuacCase("label colon expected", Array(":: x".utf8), (1, "'::' expected near <eof>")),
        LuacCase("eof expected end", Array("end".utf8), (1, "<eof> expected near 'end'")),
        LuacCase("unexpected brace", Array("x = }".utf8), (1, "unexpected symbol near '}'")),
        LuacCase("z escape then unfinished", Array("x = \"\\z  \n  abc\n".utf8), (2, "unfinished string near '\"abc'")),
        LuacCase("binary chunk", Array("\u{1b}Lua".utf8), (nil, "bad binary format (truncated chunk)")),
        LuacCase("overflow numbers accepted", Array("x = 9223372036854775808 y = 0xffffffffffffffffff".utf8), nil),
        LuacCase("escapes accepted", Array("x = \"\\u{7FFFFFFF}\" .. '\\x41\\65\\z   \\\n'".utf8), nil),
]
