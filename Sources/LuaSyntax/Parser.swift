#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Entry point of the Lua front end: a byte-level Lua 5.4 lexer (5.1–5.3 code is a
/// subset) and a recursive-descent parser that mirrors luac 5.4.4's checks, so that the
/// first error has luac's wording and line (`luac5.4 -p`), including its semantic checks
/// (goto/labels, `<const>`/`<close>`, 200 locals, 255 registers, "C stack overflow" at
/// luac's nesting depth).
///
/// Error recovery: after an error the parser records it and resumes at the first token,
/// after the start of the broken top-level statement, that is either the first token of
/// a line at column 1 and can start a statement (a name, `local`, `function`, `if`, `for`,
/// `while`, `do`, `return`, `repeat`, `goto`, `::`), or a `VirtualHost`/`Host`/`Component`/
/// `Include` name at any column. That point may lie before the error (e.g. the
/// `VirtualHost` line swallowed by an unclosed `ssl = {`). The skipped stretch becomes one
/// `.invalid` statement; later statements are parsed at top level.
public enum LuaParser {
    /// Parsing options.
    public struct Options: Sendable, Hashable {
        /// Skip a UTF-8 BOM and a first line starting with `#`, as `luac` and
        /// `luaL_loadfile` do. Off by default: Prosody compiles config text with
        /// `load(text)`, which skips neither (a BOM is `unexpected symbol near '<\239>'`).
        public var skipShebangAndBOM: Bool
        /// Stop after this many errors (at least 1).
        public var maxErrors: Int

        public init(skipShebangAndBOM: Bool = false, maxErrors: Int = 100) {
            self.skipShebangAndBOM = skipShebangAndBOM
            self.maxErrors = max(1, maxErrors)
        }

        /// Prosody's `load(text)` behaviour (the default).
        public static let prosody = Options()
        /// `luac -p` / `luaL_loadfile` behaviour.
        public static let luac = Options(skipShebangAndBOM: true)
    }

    /// Longest left-associative chain (`a+b+c...`, `a.b.c...`, `f()()...`) accepted in
    /// one expression; longer chains are reported instead of building a tree deep enough
    /// to exhaust the stack of whoever walks or frees it. (luac has no such limit.)
    public static let maxChainLength = 1000

    /// Parses `source` (raw bytes, any encoding) and never throws: errors are collected
    /// and the parser resynchronises so later statements are still returned.
    public static func parse(_ source: [UInt8]) -> ParseResult {
        parse(source, options: Options())
    }

    public static func parse(_ source: String) -> ParseResult {
        parse(Array(source.utf8))
    }

    public static func parse(_ source: String, options: Options) -> ParseResult {
        parse(Array(source.utf8), options: options)
    }

    public static func parse(_ source: [UInt8], options: Options) -> ParseResult {
        // The parser recurses up to luac's limit (about 200 levels of statements and
        // subexpressions); run it on a thread with a generous stack so that callers on
        // small stacks (e.g. Swift concurrency's 512 KiB threads, debug builds) are safe.
        runOnLargeStack {
            var parser = Parser(source, options: options)
            return parser.parseChunk()
        }
    }
}

private final class StackJob: @unchecked Sendable {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
}

private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}

/// Runs `body` on a fresh thread with a 64 MiB stack (reserved lazily) and waits for it.
/// Falls back to the calling thread if no thread can be created.
func runOnLargeStack<T>(_ body: @escaping () -> T) -> T {
    #if os(Linux)
    // Already on such a thread (the config loader runs on one): starting another, per
    // file, costs more than parsing a small file.
    if isLargeStackThread() { return body() }
    let box = ResultBox<T>()
    let job = StackJob { box.value = body() }
    var attr = pthread_attr_t()
    pthread_attr_init(&attr)
    defer { pthread_attr_destroy(&attr) }
    pthread_attr_setstacksize(&attr, 64 << 20)
    var thread = pthread_t()
    let arg = Unmanaged.passRetained(job).toOpaque()
    let rc = pthread_create(&thread, &attr, { raw in
        let job = Unmanaged<StackJob>.fromOpaque(raw!).takeRetainedValue()
        markLargeStackThread()
        job.body()
        return nil
    }, arg)
    if rc == 0 {
        pthread_join(thread, nil)
        if let v = box.value { return v }
        return body()
    }
    Unmanaged<StackJob>.fromOpaque(arg).release()
    return body()
    #else
    return body()
    #endif
}

#if os(Linux)
/// Marks the threads started for a large stack (here and by ProsodyConfig's loader).
private let largeStackKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
}()

/// True on a thread started for its 64 MiB stack: work nested in it (a parse inside a
/// load) has room left and needs no thread of its own.
public func isLargeStackThread() -> Bool { pthread_getspecific(largeStackKey) != nil }

/// Called first thing on such a thread.
public func markLargeStackThread() { pthread_setspecific(largeStackKey, UnsafeRawPointer(bitPattern: 1)) }

/// Lets the main thread count as such a thread, by raising its stack limit to 64 MiB (the
/// kernel grows the main stack up to the limit in force when it grows, and keeps at least
/// 128 MiB free below it for that). Loads then run on the calling thread: for a small
/// config, starting a thread, and the memory arena glibc gives each new thread, cost more
/// than the load. False (nothing changed) when the hard limit does not allow it.
/// Call it on the main thread only.
@discardableResult
public func adoptMainThreadAsLargeStack() -> Bool {
    let wanted: rlim_t = 64 << 20
    var limit = rlimit()
    guard getrlimit(__rlimit_resource_t(RLIMIT_STACK.rawValue), &limit) == 0 else { return false }
    if limit.rlim_cur != rlim_t.max && limit.rlim_cur < wanted {
        guard limit.rlim_max == rlim_t.max || limit.rlim_max >= wanted else { return false }
        limit.rlim_cur = wanted
        guard setrlimit(__rlimit_resource_t(RLIMIT_STACK.rawValue), &limit) == 0 else { return false }
    }
    markLargeStackThread()
    return true
}
#endif

struct ParseFailure: Error {
    var message: String
    var range: SourceRange
}

private struct VarDesc {
    var name: String
    var readonly: Bool
    /// False for compile-time constants (`local x <const> = 1`), which take no register.
    var usesRegister = true
}

private struct BlockCnt {
    var nactvar: Int
    var firstLabel: Int
    var firstGoto: Int
    var isLoop: Bool
}

private struct LabelDesc {
    var name: String
    var line: Int
    var nactvar: Int
}

private final class FuncState {
    let parent: FuncState?
    var vars: [VarDesc] = []
    var nactvar = 0
    /// Registers held by active locals, and a lower bound of luac's `freereg`.
    var nactRegs = 0
    var freeReg = 0
    var blocks: [BlockCnt] = []
    var isVararg: Bool
    let firstLabel: Int
    let lineDefined: Int
    init(parent: FuncState?, isVararg: Bool, firstLabel: Int, lineDefined: Int) {
        self.parent = parent
        self.isVararg = isVararg
        self.firstLabel = firstLabel
        self.lineDefined = lineDefined
    }
}

private let hostNames: Set<String> = ["VirtualHost", "Host", "Component", "Include"]

/// luac's nesting bound: `C stack overflow` when statements and subexpressions nest
/// this deep (LUAI_MAXCCALLS is 200 and luac itself uses one level).
private let maxLevels = 199
private let maxLocals = 200

struct Parser {
    let src: [UInt8]
    let options: LuaParser.Options
    var lex: Lexer
    var cur: Token
    var ahead: Token?
    var lastEnd: SourcePosition
    var level = 0
    fileprivate var fs: FuncState
    fileprivate var labels: [LabelDesc] = []
    fileprivate var gotos: [LabelDesc] = []
    var errors: [SyntaxError] = []
    var errorKeys: Set<String> = []

    // Recovery state.
    var topStart = -1
    var topStartPos: SourcePosition
    var candidate: (token: Token, lexer: Lexer)?
    var tokensRead = 0
    let tokenBudget: Int
    fileprivate var snapshot = (vars: 0, nactvar: 0, labels: 0, gotos: 0)

    init(_ source: [UInt8], options: LuaParser.Options) {
        src = source
        self.options = options
        var start = 0
        if options.skipShebangAndBOM {
            if source.count >= 3, source[0] == 0xEF, source[1] == 0xBB, source[2] == 0xBF { start = 3 }
            if start < source.count, source[start] == 0x23 {
                while start < source.count, source[start] != 0x0A { start += 1 }
            }
        }
        lex = Lexer(source, startOffset: start)
        let origin = SourcePosition(offset: 0, line: 1, column: 1)
        cur = Token(kind: .eof, range: SourceRange(start: origin, end: origin), lastLineStart: 0, isFirstOnLine: true)
        lastEnd = origin
        topStartPos = origin
        fs = FuncState(parent: nil, isVararg: true, firstLabel: 0, lineDefined: 0)
        tokenBudget = 4 * source.count + 100_000
    }

    // MARK: - Driver and recovery

    mutating func parseChunk() -> ParseResult {
        var statements: [Statement] = []
        fs.blocks.append(BlockCnt(nactvar: 0, firstLabel: 0, firstGoto: 0, isLoop: false))
        let mainBlock = fs.blocks[0]
        var needFirst = true
        var closing = false
        if lex.pos < src.count, src[lex.pos] == 0x1B {
            // `load` would treat this as a precompiled chunk.
            let isLua = src.count >= lex.pos + 4 && Array(src[(lex.pos + 1)..<(lex.pos + 4)]) == [0x4C, 0x75, 0x61]
            let why = isLua ? "truncated chunk" : "not a binary chunk"
            record(ParseFailure(message: "bad binary format (\(why))", range: lineRange(lex.position)))
            return ParseResult(chunk: Chunk(block: Block(statements: [], range: SourceRange(start: lex.position, end: lex.position))), errors: errors)
        }
        while true {
            do {
                if needFirst {
                    needFirst = false
                    try advance()
                }
                while !blockFollow(withUntil: true) {
                    markTopStatement()
                    if cur.kind == .kwReturn {
                        try statement(&statements)
                        break
                    }
                    try statement(&statements)
                }
                markTopStatement()
                try check(.eof)
                closing = true
                try leaveBlock()
                break
            } catch let failure as ParseFailure {
                record(failure)
                if closing || errors.count >= options.maxErrors { break }
                recover(&statements, mainBlock: mainBlock)
            } catch {
                break
            }
        }
        let endPos = eofPosition()
        let origin = SourcePosition(offset: 0, line: 1, column: 1)
        let block = Block(statements: statements, range: SourceRange(start: origin, end: endPos))
        return ParseResult(chunk: Chunk(block: block), errors: errors)
    }

    private mutating func eofPosition() -> SourcePosition {
        if cur.kind == .eof { return cur.range.start }
        // Stopped early: compute the end position by counting lines.
        var line = 1, lineStart = 0, i = 0
        while i < src.count {
            let c = src[i]
            if c == 0x0A || c == 0x0D {
                i += 1
                if i < src.count, (src[i] == 0x0A || src[i] == 0x0D), src[i] != c { i += 1 }
                line += 1
                lineStart = i
            } else { i += 1 }
        }
        return SourcePosition(offset: src.count, line: line, column: src.count - lineStart + 1)
    }

    private mutating func lineRange(_ p: SourcePosition) -> SourceRange { SourceRange(start: p, end: p) }

    private mutating func record(_ f: ParseFailure) {
        let key = "\(f.range.start.offset):\(f.message)"
        if errorKeys.contains(key) { return }
        errorKeys.insert(key)
        errors.append(SyntaxError(message: f.message, range: f.range))
    }

    private mutating func markTopStatement() {
        topStart = cur.range.start.offset
        topStartPos = cur.range.start
        candidate = nil
        snapshot = (fs.vars.count, fs.nactvar, labels.count, gotos.count)
    }

    private mutating func qualifies(_ t: Token) -> Bool {
        switch t.kind {
        case .name:
            if t.isFirstOnLine && t.range.start.column == 1 { return true }
            let first = src[t.range.start.offset]
            guard first == 0x56 || first == 0x48 || first == 0x43 || first == 0x49, let n = t.name else { return false }
            return hostNames.contains(n)
        case .kwLocal, .kwFunction, .kwIf, .kwFor, .kwWhile, .kwDo, .kwReturn, .kwRepeat, .kwGoto, .dbColon:
            return t.isFirstOnLine && t.range.start.column == 1
        default:
            return false
        }
    }

    private mutating func recover(_ statements: inout [Statement], mainBlock: BlockCnt) {
        // Reset semantic state to the main function as it was before the broken statement.
        var main = fs
        while let p = main.parent { main = p }
        fs = main
        fs.blocks = [mainBlock]
        if fs.vars.count > snapshot.vars { fs.vars.removeLast(fs.vars.count - snapshot.vars) }
        fs.nactvar = min(snapshot.nactvar, fs.vars.count)
        fs.nactRegs = fs.vars[0..<fs.nactvar].reduce(0) { $0 + ($1.usesRegister ? 1 : 0) }
        fs.freeReg = fs.nactRegs
        if labels.count > snapshot.labels { labels.removeLast(labels.count - snapshot.labels) }
        if gotos.count > snapshot.gotos { gotos.removeLast(gotos.count - snapshot.gotos) }
        level = 0

        var resume: Token
        if let c = candidate, tokensRead < tokenBudget {
            resume = c.token
            lex = c.lexer
            ahead = nil
        } else {
            var t = cur
            var pendingAhead = ahead
            var source = 0 // 0: current token, 1: lookahead, 2: lexer
            while !(t.kind == .eof || (qualifies(t) && t.range.start.offset > topStart)) {
                if let a = pendingAhead {
                    t = a; pendingAhead = nil; source = 1
                } else {
                    t = lex.next(); tokensRead += 1; source = 2
                }
            }
            resume = t
            if source != 0 { ahead = nil }
        }
        candidate = nil
        let end = resume.range.start
        if end.offset > topStartPos.offset {
            statements.append(Statement(.invalid, range: SourceRange(start: topStartPos, end: end)))
        }
        cur = resume
        lastEnd = end
    }

    // MARK: - Tokens

    /// The line luac reports for an error now (`ls->linenumber`).
    private var curLine: Int {
        if ahead == nil { return cur.range.end.line }
        return ahead.unsafelyUnwrapped.range.end.line
    }

    private mutating func advance() throws {
        lastEnd = cur.range.end
        if let a = ahead {
            cur = a
            ahead = nil
        } else {
            cur = lex.next()
            tokensRead += 1
        }
        if candidate == nil, cur.range.start.offset > topStart, qualifies(cur) {
            candidate = (cur, lex)
        }
        if cur.kind == .error { throw lexFailure(cur) }
    }

    private mutating func lookahead() throws -> TokenKind {
        if ahead == nil {
            let t = lex.next()
            tokensRead += 1
            ahead = t
            if t.kind == .error { throw lexFailure(t) }
        }
        return ahead!.kind
    }

    private mutating func errorRange(_ t: Token) -> SourceRange {
        if t.range.start.line == t.range.end.line { return t.range }
        let start = SourcePosition(offset: t.lastLineStart, line: t.range.end.line, column: 1)
        return SourceRange(start: start, end: t.range.end)
    }

    private mutating func lexFailure(_ t: Token) -> ParseFailure {
        ParseFailure(message: t.errorMessage ?? "lexical error", range: errorRange(t))
    }

    /// `luaX_syntaxerror`: the message plus `near <token>`.
    private mutating func fail(_ msg: String) -> ParseFailure {
        // A NUL byte is token 0 for luac, which means "no token": no `near` part.
        if cur.kind == .char(0) { return ParseFailure(message: msg, range: errorRange(ahead ?? cur)) }
        return ParseFailure(message: "\(msg) near \(cur.nearText(in: src))", range: errorRange(ahead ?? cur))
    }

    /// `luaK_semerror`: no token in the message.
    private mutating func semFail(_ msg: String) -> ParseFailure {
        ParseFailure(message: msg, range: errorRange(ahead ?? cur))
    }

    private mutating func errorExpected(_ k: TokenKind) -> ParseFailure {
        fail("\(k.expectedText) expected")
    }

    private mutating func check(_ k: TokenKind) throws {
        if cur.kind != k { throw errorExpected(k) }
    }

    private mutating func checkNext(_ k: TokenKind) throws {
        try check(k)
        try advance()
    }

    private mutating func testNext(_ k: TokenKind) throws -> Bool {
        if cur.kind == k { try advance(); return true }
        return false
    }

    private mutating func checkMatch(_ what: TokenKind, _ who: TokenKind, _ line: Int) throws {
        if cur.kind == what { try advance(); return }
        if line == curLine { throw errorExpected(what) }
        throw fail("\(what.expectedText) expected (to close \(who.expectedText) at line \(line))")
    }

    private mutating func checkName() throws -> Identifier {
        try check(.name)
        let id = Identifier(cur.name ?? "", range: cur.range)
        try advance()
        return id
    }

    private mutating func blockFollow(withUntil: Bool) -> Bool {
        switch cur.kind {
        case .kwElse, .kwElseif, .kwEnd, .eof: return true
        case .kwUntil: return withUntil
        default: return false
        }
    }

    private mutating func enterLevel() throws {
        level += 1
        if level >= maxLevels { throw semFail("C stack overflow") }
    }

    private mutating func range(from start: SourcePosition) -> SourceRange {
        SourceRange(start: start, end: max(start, lastEnd))
    }

    // MARK: - Scopes, labels and gotos (luac's semantic checks)

    /// `adjustlocalvars`: the next `n` declared locals become active.
    private mutating func activate(_ n: Int) {
        var i = fs.nactvar
        while i < fs.nactvar + n && i < fs.vars.count {
            if fs.vars[i].usesRegister { fs.nactRegs += 1 }
            i += 1
        }
        fs.nactvar += n
    }

    /// `luaK_reserveregs` / `luaK_checkstack` with luac's 255-register limit. The parser
    /// tracks a lower bound of luac's register use (locals, call frames, list values), so
    /// this never fires where luac would accept.
    private mutating func reserve(_ n: Int, keep: Bool = true) throws {
        let newStack = fs.freeReg + n
        if newStack >= 255 { throw fail("function or expression needs too many registers") }
        if keep { fs.freeReg = newStack }
    }

    private func isMultRet(_ e: Expression) -> Bool {
        switch e.kind {
        case .call, .methodCall, .vararg: return true
        default: return false
        }
    }

    private func isVararg(_ e: Expression) -> Bool {
        if case .vararg = e.kind { return true }
        return false
    }

    /// luac's `adjust_assign` for `nvars` targets and the expressions read.
    private mutating func adjustAssign(nvars: Int, _ exps: [Expression]) throws {
        let needed = nvars - exps.count
        if let last = exps.last, isMultRet(last) {
            if isVararg(last) { try reserve(1) }
        } else if !exps.isEmpty {
            try reserve(1)
        }
        if needed > 0 { try reserve(needed) } else { fs.freeReg += needed }
    }

    private mutating func enterBlock(isLoop: Bool) {
        fs.blocks.append(BlockCnt(nactvar: fs.nactvar, firstLabel: labels.count, firstGoto: gotos.count, isLoop: isLoop))
    }

    private mutating func leaveBlock() throws {
        let bl = fs.blocks[fs.blocks.count - 1]
        let removed = fs.nactvar - bl.nactvar
        if removed > 0 {
            for i in bl.nactvar..<min(fs.nactvar, fs.vars.count) where fs.vars[i].usesRegister { fs.nactRegs -= 1 }
            fs.vars.removeLast(min(removed, fs.vars.count))
        }
        fs.nactvar = bl.nactvar
        if bl.isLoop { try createLabel("break", line: 0, last: false) }
        if labels.count > bl.firstLabel { labels.removeLast(labels.count - bl.firstLabel) }
        fs.blocks.removeLast()
        if !fs.blocks.isEmpty {
            var i = bl.firstGoto
            while i < gotos.count { gotos[i].nactvar = bl.nactvar; i += 1 }
        } else if bl.firstGoto < gotos.count {
            let gt = gotos[bl.firstGoto]
            if gt.name == "break" { throw semFail("break outside loop at line \(gt.line)") }
            throw semFail("no visible label '\(gt.name)' for <goto> at line \(gt.line)")
        }
    }

    private mutating func findLabel(_ name: String) -> LabelDesc? {
        var i = fs.firstLabel
        while i < labels.count {
            if labels[i].name == name { return labels[i] }
            i += 1
        }
        return nil
    }

    private mutating func createLabel(_ name: String, line: Int, last: Bool) throws {
        let bl = fs.blocks[fs.blocks.count - 1]
        let l = LabelDesc(name: name, line: line, nactvar: last ? bl.nactvar : fs.nactvar)
        labels.append(l)
        var i = bl.firstGoto
        while i < gotos.count {
            if gotos[i].name == name {
                let gt = gotos[i]
                if gt.nactvar < l.nactvar {
                    let varName = gt.nactvar < fs.vars.count ? fs.vars[gt.nactvar].name : "?"
                    throw semFail("<goto \(gt.name)> at line \(gt.line) jumps into the scope of local '\(varName)'")
                }
                gotos.remove(at: i)
            } else {
                i += 1
            }
        }
    }

    private mutating func newLocalVar(_ name: String) throws {
        if fs.vars.count + 1 > maxLocals {
            let where_ = fs.lineDefined == 0 ? "main function" : "function at line \(fs.lineDefined)"
            throw fail("too many local variables (limit is \(maxLocals)) in \(where_)")
        }
        fs.vars.append(VarDesc(name: name, readonly: false))
    }

    private mutating func isReadonly(_ name: String) -> Bool {
        var f: FuncState? = fs
        while let s = f {
            var i = min(s.nactvar, s.vars.count) - 1
            while i >= 0 {
                if s.vars[i].name == name { return s.vars[i].readonly }
                i -= 1
            }
            f = s.parent
        }
        return false
    }

    private mutating func openFunction(line: Int) {
        let f = FuncState(parent: fs, isVararg: false, firstLabel: labels.count, lineDefined: line)
        fs = f
        enterBlock(isLoop: false)
    }

    private mutating func closeFunction() throws {
        try leaveBlock()
        if let p = fs.parent { fs = p }
    }

    // MARK: - Statements

    private mutating func statList(_ out: inout [Statement]) throws {
        while !blockFollow(withUntil: true) {
            if cur.kind == .kwReturn {
                try statement(&out)
                return
            }
            try statement(&out)
        }
    }

    private mutating func block() throws -> Block {
        enterBlock(isLoop: false)
        let start = cur.range.start
        var stmts: [Statement] = []
        try statList(&stmts)
        let end = cur.range.start
        try leaveBlock()
        return Block(statements: stmts, range: SourceRange(start: start, end: max(start, end)))
    }

    private mutating func statement(_ out: inout [Statement]) throws {
        let line = curLine
        try enterLevel()
        defer { level -= 1 }
        fs.freeReg = fs.nactRegs
        defer { fs.freeReg = fs.nactRegs }
        let start = cur.range.start
        switch cur.kind {
        case .char(0x3B): // ';'
            try advance()
        case .kwIf:
            var clauses: [ConditionalBlock] = [try testThenBlock()]
            while cur.kind == .kwElseif { clauses.append(try testThenBlock()) }
            var elseBlock: Block? = nil
            if try testNext(.kwElse) { elseBlock = try block() }
            try checkMatch(.kwEnd, .kwIf, line)
            out.append(Statement(.ifStatement(clauses: clauses, elseBlock: elseBlock), range: range(from: start)))
        case .kwWhile:
            try advance()
            let cond = try expr()
            enterBlock(isLoop: true)
            try checkNext(.kwDo)
            let body = try block()
            try checkMatch(.kwEnd, .kwWhile, line)
            try leaveBlock()
            out.append(Statement(.whileLoop(condition: cond, body: body), range: range(from: start)))
        case .kwDo:
            try advance()
            let body = try block()
            try checkMatch(.kwEnd, .kwDo, line)
            out.append(Statement(.doBlock(body), range: range(from: start)))
        case .kwFor:
            out.append(try forStat(line, start))
        case .kwRepeat:
            enterBlock(isLoop: true)
            enterBlock(isLoop: false)
            try advance()
            let bstart = cur.range.start
            var stmts: [Statement] = []
            try statList(&stmts)
            let bend = cur.range.start
            try checkMatch(.kwUntil, .kwRepeat, line)
            let cond = try expr()
            try leaveBlock()
            try leaveBlock()
            let body = Block(statements: stmts, range: SourceRange(start: bstart, end: max(bstart, bend)))
            out.append(Statement(.repeatLoop(body: body, condition: cond), range: range(from: start)))
        case .kwFunction:
            try advance()
            let first = try checkName()
            var path = [first]
            var method: Identifier? = nil
            while cur.kind == .char(0x2E) {
                try advance()
                path.append(try checkName())
            }
            if cur.kind == .char(0x3A) {
                try advance()
                method = try checkName()
            }
            let body = try funcBody(isMethod: method != nil, line: line, start: start)
            if path.count == 1, method == nil, isReadonly(first.name) {
                throw semFail("attempt to assign to const variable '\(first.name)'")
            }
            out.append(Statement(.function(name: FunctionName(path: path, method: method), body: body),
                                 range: range(from: start)))
        case .kwLocal:
            try advance()
            if try testNext(.kwFunction) {
                let name = try checkName()
                try newLocalVar(name.name)
                activate(1)
                let body = try funcBody(isMethod: false, line: curLine, start: cur.range.start)
                out.append(Statement(.localFunction(name: name, body: body), range: range(from: start)))
            } else {
                out.append(try localStat(start))
            }
        case .dbColon:
            try advance()
            let name = try checkName()
            try labelStat(name, line: line, start: start, &out)
        case .kwReturn:
            try advance()
            var values: [Expression] = []
            if !blockFollow(withUntil: true) && cur.kind != .char(0x3B) {
                values = try exprList()
                if let last = values.last {
                    if isVararg(last) { try reserve(1) } else if values.count > 1 && !isMultRet(last) { try reserve(1) }
                }
            }
            _ = try testNext(.char(0x3B))
            out.append(Statement(.returnStatement(values), range: range(from: start)))
        case .kwBreak:
            let bline = curLine
            try advance()
            gotos.append(LabelDesc(name: "break", line: bline, nactvar: fs.nactvar))
            out.append(Statement(.breakStatement, range: range(from: start)))
        case .kwGoto:
            try advance()
            let gline = curLine
            let name = try checkName()
            if findLabel(name.name) == nil {
                gotos.append(LabelDesc(name: name.name, line: gline, nactvar: fs.nactvar))
            }
            out.append(Statement(.gotoStatement(name), range: range(from: start)))
        default:
            out.append(try exprStat(start))
        }
    }

    private mutating func labelStat(_ name: Identifier, line: Int, start: SourcePosition, _ out: inout [Statement]) throws {
        try checkNext(.dbColon)
        out.append(Statement(.label(name), range: range(from: start)))
        while cur.kind == .char(0x3B) || cur.kind == .dbColon {
            try statement(&out)
        }
        if let l = findLabel(name.name) {
            throw semFail("label '\(name.name)' already defined on line \(l.line)")
        }
        try createLabel(name.name, line: line, last: blockFollow(withUntil: false))
    }

    private mutating func testThenBlock() throws -> ConditionalBlock {
        try advance() // skip 'if' / 'elseif'
        let cond = try expr()
        try checkNext(.kwThen)
        let body = try block()
        return ConditionalBlock(condition: cond, body: body)
    }

    private mutating func forStat(_ line: Int, _ start: SourcePosition) throws -> Statement {
        enterBlock(isLoop: true)
        try advance() // skip 'for'
        let v = try checkName()
        let stmt: Statement
        switch cur.kind {
        case .char(0x3D): // '='
            for _ in 0..<3 { try newLocalVar("(for state)") }
            try newLocalVar(v.name)
            try advance()
            let from = try expr()
            try reserve(1)
            try checkNext(.char(0x2C))
            let limit = try expr()
            try reserve(1)
            var step: Expression? = nil
            if try testNext(.char(0x2C)) { step = try expr() }
            try reserve(1)
            activate(3)
            let body = try forBody(nvars: 1)
            try checkMatch(.kwEnd, .kwFor, line)
            stmt = Statement(.numericFor(variable: v, start: from, limit: limit, step: step, body: body),
                             range: range(from: start))
        case .char(0x2C), .kwIn:
            for _ in 0..<4 { try newLocalVar("(for state)") }
            try newLocalVar(v.name)
            var names = [v]
            while try testNext(.char(0x2C)) {
                let n = try checkName()
                try newLocalVar(n.name)
                names.append(n)
            }
            try checkNext(.kwIn)
            let exps = try exprList()
            try adjustAssign(nvars: 4, exps)
            activate(4)
            try reserve(3, keep: false)
            let body = try forBody(nvars: names.count)
            try checkMatch(.kwEnd, .kwFor, line)
            stmt = Statement(.genericFor(variables: names, expressions: exps, body: body), range: range(from: start))
        default:
            throw fail("'=' or 'in' expected")
        }
        try leaveBlock()
        return stmt
    }

    private mutating func forBody(nvars: Int) throws -> Block {
        try checkNext(.kwDo)
        enterBlock(isLoop: false)
        activate(nvars)
        try reserve(nvars)
        let b = try block()
        try leaveBlock()
        return b
    }

    private mutating func localStat(_ start: SourcePosition) throws -> Statement {
        var names: [LocalName] = []
        var sawClose = false
        repeat {
            let n = try checkName()
            try newLocalVar(n.name)
            var attribute: String? = nil
            if try testNext(.char(0x3C)) { // '<'
                let a = try checkName()
                try checkNext(.char(0x3E))
                guard a.name == "const" || a.name == "close" else {
                    throw semFail("unknown attribute '\(a.name)'")
                }
                attribute = a.name
                fs.vars[fs.vars.count - 1].readonly = true
                if a.name == "close" {
                    if sawClose { throw semFail("multiple to-be-closed variables in local list") }
                    sawClose = true
                }
            }
            names.append(LocalName(name: n, attribute: attribute))
        } while try testNext(.char(0x2C))
        var values: [Expression] = []
        if try testNext(.char(0x3D)) { values = try exprList() }
        if values.count == names.count, names.last?.attribute == "const" {
            // Possibly a compile-time constant (no register); assume so (lower bound).
            fs.vars[fs.vars.count - 1].usesRegister = false
        } else {
            try adjustAssign(nvars: names.count, values)
        }
        activate(names.count)
        return Statement(.local(names: names, values: values), range: range(from: start))
    }

    private mutating func isAssignable(_ e: Expression) -> Bool {
        switch e.kind {
        case .name, .index: return true
        default: return false
        }
    }

    private mutating func exprStat(_ start: SourcePosition) throws -> Statement {
        let e = try suffixedExp()
        if cur.kind == .char(0x3D) || cur.kind == .char(0x2C) {
            var targets = [e]
            var extra = 0
            defer { level -= extra }
            while true {
                let last = targets[targets.count - 1]
                guard isAssignable(last) else { throw fail("syntax error") }
                if case .name(let n) = last.kind, isReadonly(n) {
                    throw semFail("attempt to assign to const variable '\(n)'")
                }
                if try testNext(.char(0x2C)) {
                    targets.append(try suffixedExp())
                    extra += 1
                    try enterLevel()
                } else {
                    try checkNext(.char(0x3D))
                    let values = try exprList()
                    if values.count != targets.count { try adjustAssign(nvars: targets.count, values) }
                    return Statement(.assignment(targets: targets, values: values), range: range(from: start))
                }
            }
        }
        switch e.kind {
        case .call, .methodCall:
            return Statement(.call(e), range: range(from: start))
        default:
            throw fail("syntax error")
        }
    }

    private mutating func funcBody(isMethod: Bool, line: Int, start: SourcePosition) throws -> FunctionBody {
        openFunction(line: line)
        if isMethod {
            try newLocalVar("self")
            activate(1)
        }
        try checkNext(.char(0x28))
        var params: [Identifier] = []
        var vararg = false
        if cur.kind != .char(0x29) {
            repeat {
                switch cur.kind {
                case .name:
                    let n = try checkName()
                    try newLocalVar(n.name)
                    params.append(n)
                case .dots:
                    try advance()
                    vararg = true
                default:
                    throw fail("<name> or '...' expected")
                }
            } while try !vararg && testNext(.char(0x2C))
        }
        fs.isVararg = vararg
        activate(params.count)
        fs.freeReg = fs.nactRegs
        try checkNext(.char(0x29))
        let bstart = cur.range.start
        var stmts: [Statement] = []
        try statList(&stmts)
        let bend = cur.range.start
        try checkMatch(.kwEnd, .kwFunction, line)
        try closeFunction()
        let body = Block(statements: stmts, range: SourceRange(start: bstart, end: max(bstart, bend)))
        return FunctionBody(parameters: params, isVariadic: vararg, body: body, range: range(from: start))
    }

    // MARK: - Expressions

    /// `explist`: every value but the last goes to the next register when its comma is read.
    private mutating func exprList() throws -> [Expression] {
        var list = [try expr()]
        while try testNext(.char(0x2C)) {
            try reserve(1)
            list.append(try expr())
        }
        return list
    }

    private mutating func expr() throws -> Expression { try subExpr(0) }

    private static func unaryOperator(_ k: TokenKind) -> UnaryOperator? {
        switch k {
        case .kwNot: return .not
        case .char(0x2D): return .negate
        case .char(0x23): return .length
        case .char(0x7E): return .bitNot
        default: return nil
        }
    }

    private static func binaryOperator(_ k: TokenKind) -> (BinaryOperator, Int, Int)? {
        switch k {
        case .char(0x2B): return (.add, 10, 10)
        case .char(0x2D): return (.subtract, 10, 10)
        case .char(0x2A): return (.multiply, 11, 11)
        case .char(0x25): return (.modulo, 11, 11)
        case .char(0x5E): return (.power, 14, 13)
        case .char(0x2F): return (.divide, 11, 11)
        case .floorDiv: return (.floorDivide, 11, 11)
        case .char(0x26): return (.bitAnd, 6, 6)
        case .char(0x7C): return (.bitOr, 4, 4)
        case .char(0x7E): return (.bitXor, 5, 5)
        case .shl: return (.shiftLeft, 7, 7)
        case .shr: return (.shiftRight, 7, 7)
        case .concat: return (.concat, 9, 8)
        case .eq: return (.equal, 3, 3)
        case .char(0x3C): return (.less, 3, 3)
        case .le: return (.lessEqual, 3, 3)
        case .ne: return (.notEqual, 3, 3)
        case .char(0x3E): return (.greater, 3, 3)
        case .ge: return (.greaterEqual, 3, 3)
        case .kwAnd: return (.and, 2, 2)
        case .kwOr: return (.or, 1, 1)
        default: return nil
        }
    }

    private mutating func tooComplex() -> ParseFailure {
        semFail("expression too complex (more than \(LuaParser.maxChainLength) chained operations)")
    }

    private mutating func subExpr(_ limit: Int) throws -> Expression {
        try enterLevel()
        defer { level -= 1 }
        let regs = fs.freeReg
        defer { fs.freeReg = regs }
        let start = cur.range.start
        var left: Expression
        if let op = Parser.unaryOperator(cur.kind) {
            try advance()
            let operand = try subExpr(12)
            left = Expression(.unary(op, operand), range: SourceRange(start: start, end: operand.range.end))
        } else {
            left = try simpleExp()
        }
        var chain = 0
        while let (op, lp, rp) = Parser.binaryOperator(cur.kind).map({ ($0.0, $0.1, $0.2) }), lp > limit {
            try advance()
            let right = try subExpr(rp)
            left = Expression(.binary(op, left, right), range: SourceRange(start: left.range.start, end: right.range.end))
            chain += 1
            if chain > LuaParser.maxChainLength { throw tooComplex() }
        }
        return left
    }

    private mutating func simpleExp() throws -> Expression {
        let start = cur.range.start
        let kind: ExpressionKind
        switch cur.kind {
        case .number:
            kind = .number(cur.number ?? .integer(0))
        case .string:
            kind = .string(LuaString(bytes: cur.stringValue ?? [], isLong: cur.longLevel != nil))
        case .kwNil: kind = .nilLiteral
        case .kwTrue: kind = .trueLiteral
        case .kwFalse: kind = .falseLiteral
        case .dots:
            guard fs.isVararg else { throw fail("cannot use '...' outside a vararg function") }
            kind = .vararg
        case .char(0x7B):
            return try constructor()
        case .kwFunction:
            try advance()
            let body = try funcBody(isMethod: false, line: curLine, start: start)
            return Expression(.function(body), range: range(from: start))
        default:
            return try suffixedExp()
        }
        try advance()
        return Expression(kind, range: range(from: start))
    }

    private mutating func primaryExp() throws -> Expression {
        let start = cur.range.start
        switch cur.kind {
        case .name:
            let n = cur.name ?? ""
            try advance()
            return Expression(.name(n), range: range(from: start))
        case .char(0x28):
            let line = curLine
            try advance()
            let inner = try expr()
            try checkMatch(.char(0x29), .char(0x28), line)
            return Expression(.parenthesized(inner), range: range(from: start))
        default:
            throw fail("unexpected symbol")
        }
    }

    private mutating func suffixedExp() throws -> Expression {
        let start = cur.range.start
        let line = curLine
        let regs = fs.freeReg
        var e = try primaryExp()
        var chain = 0
        while true {
            switch cur.kind {
            case .char(0x2E): // '.'
                try advance()
                let n = try checkName()
                let key = Expression(.string(LuaString(bytes: Array(n.name.utf8), isLong: false)), range: n.range)
                e = Expression(.index(e, key: key, isDotted: true), range: range(from: start))
            case .char(0x5B): // '['
                try advance()
                let k = try expr()
                try checkNext(.char(0x5D))
                e = Expression(.index(e, key: k, isDotted: false), range: range(from: start))
            case .char(0x3A): // ':'
                try advance()
                let m = try checkName()
                fs.freeReg = regs
                try reserve(2)
                let (args, style) = try funcArgs(line)
                fs.freeReg = regs
                e = Expression(.methodCall(e, method: m, arguments: args, style: style), range: range(from: start))
            case .char(0x28), .string, .char(0x7B):
                fs.freeReg = regs
                try reserve(1)
                let (args, style) = try funcArgs(line)
                fs.freeReg = regs
                e = Expression(.call(e, arguments: args, style: style), range: range(from: start))
            default:
                return e
            }
            chain += 1
            if chain > LuaParser.maxChainLength { throw tooComplex() }
        }
    }

    private mutating func funcArgs(_ line: Int) throws -> ([Expression], CallStyle) {
        switch cur.kind {
        case .char(0x28):
            try advance()
            var args: [Expression] = []
            if cur.kind != .char(0x29) { args = try exprList() }
            if let last = args.last, isVararg(last) { try reserve(1) }
            try checkMatch(.char(0x29), .char(0x28), line)
            if let last = args.last, !isMultRet(last) { try reserve(1) }
            return (args, .parentheses)
        case .char(0x7B):
            return ([try constructor()], .tableArgument)
        case .string:
            let e = Expression(.string(LuaString(bytes: cur.stringValue ?? [], isLong: cur.longLevel != nil)),
                               range: cur.range)
            try advance()
            try reserve(1)
            return ([e], .stringArgument)
        default:
            throw fail("function arguments expected")
        }
    }

    private mutating func constructor() throws -> Expression {
        let start = cur.range.start
        let line = curLine
        let regs = fs.freeReg
        defer { fs.freeReg = regs }
        try check(.char(0x7B))
        try reserve(1) // the table
        try advance()
        var fields: [TableField] = []
        var toStore = 0 // list items not yet flushed (luac flushes every 50)
        var pendingItem = false // the last field was a list item not yet in a register
        repeat {
            if cur.kind == .char(0x7D) { break }
            if pendingItem {
                try reserve(1)
                pendingItem = false
                if toStore == 50 { fs.freeReg = regs + 1; toStore = 0 }
            }
            let f = try field()
            if case .positional = f.kind { toStore += 1; pendingItem = true }
            fields.append(f)
        } while try testNext(.char(0x2C)) || testNext(.char(0x3B))
        try checkMatch(.char(0x7D), .char(0x7B), line)
        if toStore > 0, pendingItem, let last = fields.last, case .positional(let v) = last.kind {
            if isVararg(v) { try reserve(1) } else if !isMultRet(v) { try reserve(1) }
        }
        return Expression(.table(fields), range: range(from: start))
    }

    private mutating func field() throws -> TableField {
        let start = cur.range.start
        switch cur.kind {
        case .name:
            if try lookahead() != .char(0x3D) {
                let e = try expr()
                return TableField(.positional(e), range: e.range)
            }
            let n = try checkName()
            try checkNext(.char(0x3D))
            let v = try expr()
            return TableField(.named(n, v), range: range(from: start))
        case .char(0x5B):
            try advance()
            let k = try expr()
            try checkNext(.char(0x5D))
            try checkNext(.char(0x3D))
            let v = try expr()
            return TableField(.keyed(key: k, value: v), range: range(from: start))
        default:
            let e = try expr()
            return TableField(.positional(e), range: e.range)
        }
    }
}

// Unambiguous names for modules that also import Foundation (whose Swift 6 overlay
// declares its own `Expression` type).
public typealias LuaExpression = Expression
public typealias LuaStatement = Statement
public typealias LuaBlock = Block
