import Foundation
typealias LuaExpr = LuaSyntax.Expression
import LuaSyntax

/// A Lua runtime error, as Prosody would raise it while loading (message without location).
struct LuaError: Error {
    var message: String
    var location: SourceLocation
    var problemKind: ConfigProblem.Kind = .runtimeError
    var related: [SourceLocation] = []
    /// False for errors that only exist in our model (never raised by Prosody).
    var prosodyWouldFail = true
}

/// Thrown when the global step budget is exhausted: stops the whole evaluation.
struct BudgetExhausted: Error {}

final class Box {
    var value: LuaValue
    init(_ value: LuaValue) { self.value = value }
}

final class Scope {
    var vars: [String: Box] = [:]
    let parent: Scope?
    /// The variadic arguments of the enclosing function, when it has `...`.
    var varargs: [LuaValue]?
    /// The outermost scope of a function body (or of a file's chunk).
    var isFunctionRoot = false
    init(parent: Scope?) {
        self.parent = parent
        self.varargs = nil
    }
    func lookup(_ name: String) -> Box? {
        var s: Scope? = self
        while let scope = s {
            if let b = scope.vars[name] { return b }
            s = scope.parent
        }
        return nil
    }
    /// "local" when `name` is a local of the current function, "upvalue" when it is one of an
    /// enclosing function, nil when it is not a local at all.
    func kindOf(_ name: String) -> String? {
        var s: Scope? = self
        var crossed = false
        while let scope = s {
            if scope.vars[name] != nil { return crossed ? "upvalue" : "local" }
            if scope.isFunctionRoot { crossed = true }
            s = scope.parent
        }
        return nil
    }
    func findVarargs() -> [LuaValue]? {
        var s: Scope? = self
        while let scope = s {
            if let v = scope.varargs { return v }
            s = scope.parent
        }
        return nil
    }
    func declare(_ name: String, _ value: LuaValue) { vars[name] = Box(value) }
}

/// The private environment configmanager gives each loaded file.
final class FileEnv {
    let file: String
    /// `config_file:gsub("[^/]+$", "")`: the directory part with its trailing slash.
    let directory: String
    var currentHost = "*"
    var raw: [String: LuaValue] = [:]
    /// host -> name -> first assignment location in this file (duplicate warnings). Nested
    /// rather than keyed by "host/name": no key string to build for every assignment, and
    /// option names (Lua identifiers) never contain "/", so the keys match the same pairs.
    private var setOptions: [String: FirstAssignments] = [:]
    /// The current host's table (assignments come host by host: one lookup per host change).
    private var lastSetOptions: (host: String, table: FirstAssignments)?

    final class FirstAssignments {
        var locations: [String: SourceLocation] = [:]
    }

    /// Where `name` was first assigned in `host` in this file (the earlier location for a
    /// duplicate), recording `location` when this is the first time.
    func firstAssignment(of name: String, in host: String, recording location: SourceLocation) -> SourceLocation? {
        let table: FirstAssignments
        if let last = lastSetOptions, last.host == host {
            table = last.table
        } else if let existing = setOptions[host] {
            table = existing
        } else {
            table = FirstAssignments()
            setOptions[host] = table
        }
        lastSetOptions = (host, table)
        if let first = table.locations[name] { return first }
        table.locations[name] = location
        return nil
    }

    init(file: String) {
        self.file = file
        if let slash = file.lastIndex(of: "/") {
            directory = String(file[...slash])
        } else {
            directory = ""
        }
    }
}

enum Flow {
    case normal
    case breakLoop
    case returned([LuaValue])
    /// A `goto` looking for its label in the enclosing blocks.
    case goto(String)
}

/// Options of one evaluation.
struct EvaluatorSettings {
    /// nil: the process environment (see `Evaluator.environment`).
    var environment: [String: String]?
    var version: ProsodyVersion
    var sortedIncludes: Bool
    var maxLoopIterations = 10_000
    /// Evaluation steps one loop (with everything it runs) may take before it is stopped.
    var maxLoopSteps = 200_000
    var maxCallDepth = 100
    var maxExpressionDepth = 260
    var maxIncludeDepth = 40
    var stepBudget = 2_000_000
    /// Keep every file's syntax tree until the evaluator goes (`leavesEvaluationAllocated`).
    var keepsSyntaxTrees = false
}

final class RawEntry {
    var value: LuaValue
    var location: SourceLocation
    var valueRange: SourceRange?
    /// Set by a VirtualHost/Component declaration (bookkeeping key).
    var isBookkeeping: Bool
    var viaTableForm: Bool
    /// The assignment that set this value (its index in `Evaluator.assignments`), nil for
    /// bookkeeping keys: the model converts the value once, for both.
    var assignment: Int?
    init(value: LuaValue, location: SourceLocation, valueRange: SourceRange?, isBookkeeping: Bool, viaTableForm: Bool,
         assignment: Int?) {
        self.value = value
        self.location = location
        self.valueRange = valueRange
        self.isBookkeeping = isBookkeeping
        self.viaTableForm = viaTableForm
        self.assignment = assignment
    }
}

final class SectionState {
    let name: String
    /// The entries in the order their keys were first set (a removed key leaves none).
    private(set) var items: [(key: String, entry: RawEntry)] = []
    /// Position of each key in `items`.
    private var positions: [String: Int] = [:]
    var declarations: [SourceLocation] = []
    var declaredAsComponent = false
    var declaredAsHost = false
    var declaredModules: [String] = []
    init(name: String) { self.name = name }

    func entry(_ key: String) -> RawEntry? { positions[key].map { items[$0].entry } }

    func set(_ key: String, _ entry: RawEntry?) {
        if let entry {
            if let index = positions[key] {
                items[index].entry = entry
            } else {
                positions[key] = items.count
                items.append((key, entry))
            }
        } else if let index = positions.removeValue(forKey: key) {
            items.remove(at: index)
            for later in index..<items.count { positions[items[later].key] = later }
        }
    }
    func rawValue(_ key: String) -> LuaValue { entry(key)?.value ?? .nil }
}

struct PendingAssignment {
    var name: String
    var value: LuaValue
    var location: SourceLocation
    var section: String
    var viaTableForm: Bool
    var valueRange: SourceRange?
    var statementLine: Int
}

final class Evaluator {
    let settings: EvaluatorSettings
    var sections: [String: SectionState] = ["*": SectionState(name: "*")]
    var sectionOrder: [String] = []
    var assignments: [PendingAssignment] = []
    var problems: [ConfigProblem] = []
    var problemKeys = Set<String>()
    var warnings: [ProsodyWarning] = []
    var files: [String] = []
    var sources: [String: [UInt8]] = [:]
    var includeStack: [String] = []
    var optionNamesSet = Set<String>()
    var callDepth = 0
    var exprDepth = 0
    var steps = 0
    var longPathReported = Set<String>()
    /// Set once a RunScript ran (its Lua globals are unknown to us).
    var runScriptSeen: String?
    /// The environment `ENV_` names read, copied from the process on first use.
    lazy var environment: [String: String] = settings.environment ?? ProcessInfo.processInfo.environment
    /// The syntax trees of the files loaded, when `settings.keepsSyntaxTrees`.
    var syntaxTrees: [ParseResult] = []
    /// The files' environments, when `settings.keepsSyntaxTrees`.
    var keptEnvironments: [FileEnv] = []

    static let dynamicSectionName = "<dynamic>"

    init(settings: EvaluatorSettings) {
        self.settings = settings
    }

    // MARK: Problems

    func report(_ kind: ConfigProblem.Kind, _ message: String, at location: SourceLocation?,
                related: [SourceLocation] = [], fatal: Bool = false, errorKind: String? = nil) {
        let key = ConfigurationJSON.problemKindName(kind) + "|" + (location?.file ?? "") + "|"
            + String(location?.range.start.offset ?? -1) + "|" + message
        guard problemKeys.insert(key).inserted else { return }
        problems.append(ConfigProblem(kind: kind, message: message, location: location, related: related,
                                      prosodyWouldFail: fatal, prosodyErrorKind: errorKind))
    }

    func report(_ error: LuaError) {
        report(error.problemKind, error.message, at: error.location, related: error.related, fatal: error.prosodyWouldFail)
    }

    func dynamicProblem(_ reason: String, at location: SourceLocation) {
        report(.dynamic, "not statically known: \(reason)", at: location)
    }

    // MARK: Files

    /// Loads one file in a fresh environment (the main file or an Include).
    func loadFile(path: String, bytes: [UInt8], includedFrom: SourceLocation?) {
        sources[path] = bytes
        let hasNul = bytes.withUnsafeBufferPointer { b in b.baseAddress.map { memchr($0, 0, b.count) != nil } ?? false }
        if hasNul {
            let loc = SourceLocation(file: path, range: Self.lineRange(1))
            report(.notText(path: path), "\(path) is not a text file (it contains NUL bytes)", at: includedFrom ?? loc,
                   fatal: true)
            return
        }
        var text = bytes
        if !Self.isValidUTF8(bytes) {
            report(.notText(path: path), "\(path) is not valid UTF-8 (Lua accepts it; strings keep the raw bytes)",
                   at: includedFrom ?? SourceLocation(file: path, range: Self.lineRange(1)))
        }
        // BOM and #! are syntax errors for Prosody's load(): report, blank them out, go on.
        if text.count >= 3, text[0] == 0xEF, text[1] == 0xBB, text[2] == 0xBF {
            report(.byteOrderMarkOrShebang, "unexpected symbol near '<\\239>'",
                   at: SourceLocation(file: path, range: Self.lineRange(1)), fatal: true)
            text[0] = 0x20; text[1] = 0x20; text[2] = 0x20
        } else if text.first == UInt8(ascii: "#") {
            report(.byteOrderMarkOrShebang, "unexpected symbol near '#'",
                   at: SourceLocation(file: path, range: Self.lineRange(1)), fatal: true)
        }
        // A `#!` line (right at the start, or right after a BOM) is skipped like luac does.
        var i = (text.count >= 3 && bytes.starts(with: [0xEF, 0xBB, 0xBF])) ? 3 : 0
        if i < text.count, text[i] == UInt8(ascii: "#") {
            while i < text.count, text[i] != UInt8(ascii: "\n") { text[i] = 0x20; i += 1 }
        }
        let parsed = LuaParser.parse(text)
        if settings.keepsSyntaxTrees { syntaxTrees.append(parsed) }
        for error in parsed.errors {
            report(.syntaxError, error.message, at: SourceLocation(file: path, range: error.range), fatal: true)
        }
        let env = makeEnv(file: path)
        // Kept with the syntax trees: freeing a big file's per-host tables is pure cost then.
        if settings.keepsSyntaxTrees { keptEnvironments.append(env) }
        let scope = Scope(parent: nil)
        scope.varargs = []
        includeStack.append(path)
        defer { includeStack.removeLast() }
        do {
            _ = try execBlock(parsed.chunk.block, scope: scope, env: env, newScope: false)
        } catch is BudgetExhausted {
            report(.evaluationLimit, "evaluation budget exhausted; the rest of \(path) was not evaluated",
                   at: SourceLocation(file: path, range: Self.lineRange(1)))
        } catch let error as LuaError {
            report(error)
        } catch {}
        files.append(path)
    }

    /// `String(validating:as: UTF8.self) != nil`, answered for ASCII text (most configs) by a
    /// scan of the bytes, eight at a time.
    static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        let ascii = bytes.withUnsafeBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return true }
            let raw = UnsafeRawPointer(base)
            var index = 0
            while index + 8 <= buffer.count {
                if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
                index += 8
            }
            while index < buffer.count {
                if buffer[index] >= 0x80 { return false }
                index += 1
            }
            return true
        }
        return ascii || String(validating: bytes, as: UTF8.self) != nil
    }

    static func lineRange(_ line: Int) -> SourceRange {
        let p = SourcePosition(offset: 0, line: line, column: 1)
        return SourceRange(start: p, end: p)
    }

    func makeEnv(file: String) -> FileEnv {
        let env = FileEnv(file: file)
        for name in ["Host", "host", "VirtualHost"] { env.raw[name] = .function(LuaFunction(.builtin(.virtualHost))) }
        for name in ["Component", "component"] { env.raw[name] = .function(LuaFunction(.builtin(.component))) }
        for name in ["Include", "include"] { env.raw[name] = .function(LuaFunction(.builtin(.include))) }
        env.raw["RunScript"] = .function(LuaFunction(.builtin(.runScript)))
        if settings.version == .v13 {
            env.raw["Lua"] = .namespace("_G")
            env.raw["FileContents"] = .function(LuaFunction(.builtin(.fileContents)))
            env.raw["FileLine"] = .function(LuaFunction(.builtin(.fileLine)))
            env.raw["FileLines"] = .function(LuaFunction(.builtin(.fileLines)))
            env.raw["Credential"] = .function(LuaFunction(.builtin(.credential)))
        }
        return env
    }

    // MARK: Statements

    func tick(_ location: @autoclosure () -> SourceLocation) throws {
        steps += 1
        if steps > settings.stepBudget { throw BudgetExhausted() }
    }

    func loc(_ range: SourceRange, _ env: FileEnv) -> SourceLocation { SourceLocation(file: env.file, range: range) }

    func execBlock(_ block: Block, scope: Scope, env: FileEnv, newScope: Bool = true) throws -> Flow {
        let inner = newScope ? Scope(parent: scope) : scope
        var index = 0
        let statements = block.statements
        while index < statements.count {
            let statement = statements[index]
            index += 1
            do {
                let flow = try exec(statement, scope: inner, env: env)
                if case .normal = flow { continue }
                if case .goto(let label) = flow, let target = statements.firstIndex(where: {
                    if case .label(let id) = $0.kind { return id.name == label }
                    return false
                }) {
                    index = target + 1
                    continue
                }
                return flow
            } catch let error as LuaError {
                // Prosody would abort here; we record it and carry on with the next statement.
                report(error)
            }
        }
        return .normal
    }

    func exec(_ statement: Statement, scope: Scope, env: FileEnv) throws -> Flow {
        try tick(loc(statement.range, env))
        switch statement.kind {
        case .call(let e):
            _ = try evalMulti(e, scope: scope, env: env)
        case .assignment(let targets, let values):
            var results = try evalList(values, scope: scope, env: env)
            while results.count < targets.count { results.append(.nil) }
            let line = values.last?.range.end.line ?? statement.range.end.line
            // Lua assigns right to left.
            for (index, target) in targets.enumerated().reversed() {
                let valueRange = index < values.count ? values[index].range : values.last?.range
                try assign(target, results[index], scope: scope, env: env, valueRange: valueRange, statementLine: line)
            }
        case .local(let names, let values):
            var results = try evalList(values, scope: scope, env: env)
            while results.count < names.count { results.append(.nil) }
            for (index, name) in names.enumerated() { scope.declare(name.name.name, results[index]) }
        case .localFunction(let name, let body):
            let box = Box(.nil)
            scope.vars[name.name] = box
            box.value = .function(LuaFunction(.closure(body, scope, env: env, name: name.name), location: loc(name.range, env)))
        case .function(let name, var body):
            if let method = name.method {
                // `function t:m(a)` is `t.m = function(self, a)`.
                body.parameters.insert(Identifier("self", range: method.range), at: 0)
            }
            let fn = LuaFunction(.closure(body, scope, env: env, name: name.path.map(\.name).joined(separator: ".")),
                                 location: loc(statement.range, env))
            let value = LuaValue.function(fn)
            if name.path.count == 1, name.method == nil {
                let id = name.path[0]
                try assignName(id.name, value, range: id.range, scope: scope, env: env,
                               valueRange: body.range, statementLine: statement.range.start.line)
            } else {
                var base = try lookupName(name.path[0].name, range: name.path[0].range, scope: scope, env: env, context: .indexBase)
                var path = name.path.dropFirst().map(\.name)
                if let m = name.method { path.append(m.name) }
                let last = path.removeLast()
                for component in path {
                    base = try index(base, .string(component), at: loc(statement.range, env), description: "field '\(component)'")
                }
                try setIndex(base, .string(last), value, at: loc(statement.range, env), description: "field '\(last)'")
            }
        case .doBlock(let block):
            return try execBlock(block, scope: scope, env: env)
        case .whileLoop(let condition, let body):
            var count = 0
            let startSteps = steps
            while true {
                let c = try evalExpr(condition, scope: scope, env: env)
                guard let truth = c.truthy else {
                    dynamicProblem("while condition (\(c.reason)); loop not evaluated", at: loc(condition.range, env))
                    break
                }
                if !truth { break }
                count += 1
                try tick(loc(statement.range, env))
                if count > settings.maxLoopIterations || steps - startSteps > settings.maxLoopSteps {
                    report(.evaluationLimit, "loop stopped after \(count - 1) iterations (evaluation bound)", at: loc(statement.range, env))
                    break
                }
                let flow = try execBlock(body, scope: scope, env: env)
                if case .breakLoop = flow { break }
                if case .normal = flow { continue }
                return flow
            }
        case .repeatLoop(let body, let condition):
            var count = 0
            let startSteps = steps
            while true {
                count += 1
                try tick(loc(statement.range, env))
                if count > settings.maxLoopIterations || steps - startSteps > settings.maxLoopSteps {
                    report(.evaluationLimit, "loop stopped after \(count - 1) iterations (evaluation bound)", at: loc(statement.range, env))
                    break
                }
                let inner = Scope(parent: scope)
                let flow = try execBlock(body, scope: inner, env: env, newScope: false)
                if case .breakLoop = flow { break }
                if case .normal = flow {} else { return flow }
                let c = try evalExpr(condition, scope: inner, env: env)
                guard let truth = c.truthy else {
                    dynamicProblem("repeat condition (\(c.reason))", at: loc(condition.range, env))
                    break
                }
                if truth { break }
            }
        case .ifStatement(let clauses, let elseBlock):
            for clause in clauses {
                let c = try evalExpr(clause.condition, scope: scope, env: env)
                guard let truth = c.truthy else {
                    dynamicProblem("if condition (\(c.reason)); its branches were not evaluated", at: loc(clause.condition.range, env))
                    return .normal
                }
                if truth { return try execBlock(clause.body, scope: scope, env: env) }
            }
            if let elseBlock { return try execBlock(elseBlock, scope: scope, env: env) }
        case .numericFor(let variable, let startE, let limitE, let stepE, let body):
            return try numericFor(variable: variable, startE: startE, limitE: limitE, stepE: stepE, body: body,
                                  statement: statement, scope: scope, env: env)
        case .genericFor(let variables, let expressions, let body):
            return try genericFor(variables: variables, expressions: expressions, body: body,
                                  statement: statement, scope: scope, env: env)
        case .returnStatement(let values):
            return .returned(try evalList(values, scope: scope, env: env))
        case .breakStatement:
            return .breakLoop
        case .gotoStatement(let label):
            return .goto(label.name)
        case .label, .invalid:
            break
        }
        return .normal
    }

    func numericFor(variable: Identifier, startE: LuaExpr, limitE: LuaExpr, stepE: LuaExpr?, body: Block,
                    statement: Statement, scope: Scope, env: FileEnv) throws -> Flow {
        let at = loc(statement.range, env)
        let start = try evalExpr(startE, scope: scope, env: env)
        let limit = try evalExpr(limitE, scope: scope, env: env)
        let step = try stepE.map { try evalExpr($0, scope: scope, env: env) } ?? .int(1)
        for v in [start, limit, step] where v.isDynamic {
            dynamicProblem("for loop bounds (\(v.reason)); loop not evaluated", at: at)
            return .normal
        }
        func num(_ v: LuaValue, _ what: String) throws -> LuaValue {
            switch v {
            case .int, .float: return v
            case .string(let s): if let n = LuaFormat.number(from: s) { return n }
            default: break
            }
            throw LuaError(message: "'for' \(what) must be a number", location: at)
        }
        let s = try num(start, "initial value"), l = try num(limit, "limit"), st = try num(step, "step")
        var count = 0
        let startSteps = steps
        func iterate(_ value: LuaValue) throws -> Flow? {
            count += 1
            try tick(at)
            if count > settings.maxLoopIterations || steps - startSteps > settings.maxLoopSteps {
                report(.evaluationLimit, "loop stopped after \(count - 1) iterations (evaluation bound)", at: at)
                return .normal
            }
            let inner = Scope(parent: scope)
            inner.declare(variable.name, value)
            let flow = try execBlock(body, scope: inner, env: env, newScope: false)
            if case .breakLoop = flow { return .normal }
            if case .normal = flow { return nil }
            return flow
        }
        if case .int(let a) = s, case .int(let b) = st {
            if b == 0 { throw LuaError(message: "'for' step is zero", location: at) }
            var lim: Int64
            switch l {
            case .int(let x): lim = x
            case .float(let d):
                if d.isNaN { return .normal }
                let r = b > 0 ? d.rounded(.down) : d.rounded(.up)
                lim = r >= 9.2e18 ? Int64.max : (r <= -9.2e18 ? Int64.min : Int64(r))
            default: lim = 0
            }
            var i = a
            while b > 0 ? i <= lim : i >= lim {
                if let flow = try iterate(.int(i)) { return flow }
                let (next, overflow) = i.addingReportingOverflow(b)
                if overflow { break }
                i = next
            }
        } else {
            let a = s.asDouble!, b = st.asDouble!, lim = l.asDouble!
            if b == 0 { throw LuaError(message: "'for' step is zero", location: at) }
            var i = a
            while b > 0 ? i <= lim : i >= lim {
                if let flow = try iterate(.float(i)) { return flow }
                i += b
            }
        }
        return .normal
    }

    func genericFor(variables: [Identifier], expressions: [LuaExpr], body: Block,
                    statement: Statement, scope: Scope, env: FileEnv) throws -> Flow {
        let at = loc(statement.range, env)
        var values = try evalList(expressions, scope: scope, env: env)
        while values.count < 3 { values.append(.nil) }
        let f = values[0], state = values[1]
        var control = values[2]
        var count = 0
        let startSteps = steps
        func run(_ vars: [LuaValue]) throws -> Flow? {
            count += 1
            try tick(at)
            if count > settings.maxLoopIterations || steps - startSteps > settings.maxLoopSteps {
                report(.evaluationLimit, "loop stopped after \(count - 1) iterations (evaluation bound)", at: at)
                return .normal
            }
            let inner = Scope(parent: scope)
            for (i, v) in variables.enumerated() { inner.declare(v.name, i < vars.count ? vars[i] : .nil) }
            let flow = try execBlock(body, scope: inner, env: env, newScope: false)
            if case .breakLoop = flow { return .normal }
            if case .normal = flow { return nil }
            return flow
        }
        if case .dynamic(let r) = f {
            dynamicProblem("for loop over \(r); loop not evaluated", at: at)
            return .normal
        }
        // Fast paths for ipairs/pairs over a table (a snapshot of the keys, like a
        // table that is not modified during the loop).
        if case .function(let fn) = f, case .builtin(let b) = fn.kind, case .table(let t) = state {
            if b == .ipairsIterator {
                var i: Int64 = 1
                while true {
                    let v = t[.int(i)]
                    if v.isNil { break }
                    if let flow = try run([.int(i), v]) { return flow }
                    i += 1
                }
                return .normal
            }
            if b == .pairsIterator, control.isNil {
                for k in t.pairsOrder {
                    let v = t[k]
                    if v.isNil { continue }
                    if let flow = try run([k.value, v]) { return flow }
                }
                return .normal
            }
        }
        while true {
            let results = try call(f, [state, control], at: at, env: env, description: "for iterator 'for iterator'")
            let first = results.first ?? .nil
            if first.isNil { break }
            if case .dynamic(let r) = first {
                dynamicProblem("for loop over \(r); loop stopped", at: at)
                break
            }
            control = first
            if let flow = try run(results) { return flow }
        }
        return .normal
    }

    // MARK: Assignment

    func assign(_ target: LuaExpr, _ value: LuaValue, scope: Scope, env: FileEnv,
                valueRange: SourceRange?, statementLine: Int) throws {
        switch target.kind {
        case .name(let name):
            try assignName(name, value, range: target.range, scope: scope, env: env, valueRange: valueRange, statementLine: statementLine)
        case .index(let baseE, let keyE, _):
            let base = try evalExpr(baseE, scope: scope, env: env, context: .indexBase)
            let key = try evalExpr(keyE, scope: scope, env: env)
            try setIndex(base, key, value, at: loc(target.range, env), description: describe(baseE, scope: scope))
        default:
            throw LuaError(message: "cannot assign to this expression", location: loc(target.range, env), prosodyWouldFail: true)
        }
    }

    func assignName(_ name: String, _ value: LuaValue, range: SourceRange, scope: Scope, env: FileEnv,
                    valueRange: SourceRange?, statementLine: Int) throws {
        if let box = scope.lookup(name) {
            box.value = value
            return
        }
        if name == "__currenthost" {
            if case .string(let s) = value { env.currentHost = s }
            return
        }
        if env.raw[name] != nil {
            // VirtualHost = ... and the like replace the environment's own field (rawset).
            env.raw[name] = value
            return
        }
        // __newindex: an option of the current section.
        let location = loc(range, env)
        let host = env.currentHost
        if let first = env.firstAssignment(of: name, in: host, recording: location) {
            if host != Self.dynamicSectionName {
                if env.file.utf8.count >= 60, settings.version == .v0_12 || true {
                    if longPathReported.insert(env.file).inserted {
                        report(.longPathWarningCrash(path: env.file),
                               "bad argument #2 to 'format' (number expected, got nil) (Prosody cannot format a warning for a file path of 60 bytes or more)",
                               at: location, fatal: true)
                    }
                }
                warnings.append(ProsodyWarning(file: env.file, line: statementLine, text: "Duplicate option '\(name)'"))
                report(.duplicateOption(name: name, section: host), "Duplicate option '\(name)'", at: location, related: [first])
            }
        }
        setOption(section: host, key: name, value: value, location: location, valueRange: valueRange,
                  viaTableForm: false, bookkeeping: false, statementLine: statementLine)
    }

    func setOption(section: String, key: String, value: LuaValue, location: SourceLocation, valueRange: SourceRange?,
                   viaTableForm: Bool, bookkeeping: Bool, statementLine: Int) {
        var assignment: Int?
        if !bookkeeping {
            assignment = assignments.count
            assignments.append(PendingAssignment(name: key, value: value, location: location, section: section,
                                                 viaTableForm: viaTableForm, valueRange: valueRange, statementLine: statementLine))
            optionNamesSet.insert(key)
        }
        if section == Self.dynamicSectionName { return }
        let state = sectionState(section)
        if value.isNil {
            state.set(key, nil)
        } else {
            state.set(key, RawEntry(value: value, location: location, valueRange: valueRange,
                                    isBookkeeping: bookkeeping, viaTableForm: viaTableForm, assignment: assignment))
        }
    }

    func sectionState(_ name: String) -> SectionState {
        // Options come section by section: the last one asked for is usually asked again.
        if let last = lastSectionState, last.name == name { return last }
        let state: SectionState
        if let s = sections[name] {
            state = s
        } else {
            state = SectionState(name: name)
            sections[name] = state
            if name != "*" { sectionOrder.append(name) }
        }
        lastSectionState = state
        return state
    }
    private var lastSectionState: SectionState?

    func setIndex(_ base: LuaValue, _ key: LuaValue, _ value: LuaValue, at: SourceLocation, description: String?) throws {
        switch base {
        case .table(let t):
            if case .dynamic(let r) = key {
                dynamicProblem("table key (\(r))", at: at)
                return
            }
            guard let k = key.key else {
                if key.isNil { throw LuaError(message: "index is nil", location: at) }
                throw LuaError(message: "index is NaN", location: at)
            }
            t[k] = value
        case .dynamic(let r):
            dynamicProblem("assignment into \(r)", at: at)
        case .namespace(let ns):
            dynamicProblem("assignment into the Lua library table '\(ns)'", at: at)
        case .proxy:
            break // Prosody 13: writes through an option proxy silently do nothing
        default:
            throw LuaError(message: "attempt to index a \(base.typeName) value\(LuaOps.describeSuffix(description))", location: at)
        }
    }

    // MARK: Expressions

    enum NameContext { case value, callee, indexBase }

    func evalList(_ expressions: [LuaExpr], scope: Scope, env: FileEnv) throws -> [LuaValue] {
        var results: [LuaValue] = []
        for (i, e) in expressions.enumerated() {
            if i == expressions.count - 1 {
                results.append(contentsOf: try evalMulti(e, scope: scope, env: env))
            } else {
                results.append(try evalExpr(e, scope: scope, env: env))
            }
        }
        return results
    }

    /// Evaluates an expression that may produce several values (calls, `...`).
    func evalMulti(_ e: LuaExpr, scope: Scope, env: FileEnv) throws -> [LuaValue] {
        switch e.kind {
        case .call(let fE, let argsE, _):
            try enter(e, env)
            defer { exprDepth -= 1 }
            let f = try evalExpr(fE, scope: scope, env: env, context: .callee)
            let args = try evalList(argsE, scope: scope, env: env)
            return try call(f, args, at: loc(e.range, env), env: env, description: describe(fE, scope: scope))
        case .methodCall(let objE, let method, let argsE, _):
            try enter(e, env)
            defer { exprDepth -= 1 }
            let obj = try evalExpr(objE, scope: scope, env: env, context: .indexBase)
            let f = try index(obj, .string(method.name), at: loc(e.range, env), description: describe(objE, scope: scope))
            let args = try evalList(argsE, scope: scope, env: env)
            return try call(f, [obj] + args, at: loc(e.range, env), env: env, description: "method '\(method.name)'")
        case .vararg:
            return scope.findVarargs() ?? []
        default:
            return [try evalExpr(e, scope: scope, env: env)]
        }
    }

    /// `opt:append{...}` / `opt {...}`: list items are appended, `key = value` pairs merged,
    /// into a copy of the current section's own option (recorded as an assignment).
    func appendToOption(section: String, _ name: String, _ arg: LuaValue, at: SourceLocation) throws {
        guard case .table(let old) = sections[section]?.rawValue(name) ?? .nil else { return }
        guard case .table(let extra) = arg else {
            if case .dynamic(let r) = arg { dynamicProblem("items appended to \(name) (\(r))", at: at); return }
            throw LuaError(message: "bad argument #1 to 'append' (table expected, got \(arg.typeName))", location: at)
        }
        let merged = LuaTable()
        for (k, v) in old.entries { merged[k] = v }
        var next = merged.length + 1
        for k in extra.pairsOrder {
            if case .int(let i) = k, i >= 1, i <= extra.length {
                merged[.int(next)] = extra[k]
                next += 1
            } else {
                merged[k] = extra[k]
            }
        }
        setOption(section: section, key: name, value: .table(merged), location: at, valueRange: at.range,
                  viaTableForm: false, bookkeeping: false, statementLine: at.line)
    }

    func enter(_ e: LuaExpr, _ env: FileEnv) throws {
        exprDepth += 1
        steps += 1
        if steps > settings.stepBudget { exprDepth -= 1; throw BudgetExhausted() }
        if exprDepth > settings.maxExpressionDepth {
            exprDepth -= 1
            throw LuaError(message: "expression nested too deeply to evaluate", location: loc(e.range, env),
                           problemKind: .evaluationLimit, prosodyWouldFail: false)
        }
    }

    func evalExpr(_ e: LuaExpr, scope: Scope, env: FileEnv, context: NameContext = .value) throws -> LuaValue {
        switch e.kind {
        case .call, .methodCall, .vararg:
            return try evalMulti(e, scope: scope, env: env).first ?? .nil
        default: break
        }
        try enter(e, env)
        defer { exprDepth -= 1 }
        switch e.kind {
        case .nilLiteral: return .nil
        case .trueLiteral: return .bool(true)
        case .falseLiteral: return .bool(false)
        case .number(let n):
            switch n {
            case .integer(let i): return .int(i)
            case .float(let d): return .float(d)
            }
        case .string(let s): return .string(s.text)
        case .function(let body):
            let fn = LuaFunction(.closure(body, scope, env: env, name: nil), location: loc(e.range, env))
            return .function(fn)
        case .table(let fields):
            return try constructTable(fields, scope: scope, env: env)
        case .binary(let op, let l, let r):
            return try binary(op, l, r, scope: scope, env: env, whole: e)
        case .unary(let op, let operandE):
            let v = try evalExpr(operandE, scope: scope, env: env)
            return try unary(op, v, at: loc(e.range, env), description: describe(operandE, scope: scope))
        case .name(let name):
            return try lookupName(name, range: e.range, scope: scope, env: env, context: context)
        case .index(let baseE, let keyE, _):
            let base = try evalExpr(baseE, scope: scope, env: env, context: .indexBase)
            let key = try evalExpr(keyE, scope: scope, env: env)
            return try index(base, key, at: loc(e.range, env), description: describe(baseE, scope: scope))
        case .parenthesized(let inner):
            return try evalExpr(inner, scope: scope, env: env, context: context)
        case .invalid:
            return .nil
        case .call, .methodCall, .vararg:
            return .nil
        }
    }

    func constructTable(_ fields: [TableField], scope: Scope, env: FileEnv) throws -> LuaValue {
        let t = LuaTable()
        var next: Int64 = 1
        for (i, field) in fields.enumerated() {
            switch field.kind {
            case .positional(let ve):
                if i == fields.count - 1 {
                    for v in try evalMulti(ve, scope: scope, env: env) {
                        t.setField(.int(next), v, range: field.range)
                        next += 1
                    }
                } else {
                    t.setField(.int(next), try evalExpr(ve, scope: scope, env: env), range: field.range)
                    next += 1
                }
            case .named(let id, let ve):
                t.setField(.string(id.name), try evalExpr(ve, scope: scope, env: env), range: field.range)
            case .keyed(let ke, let ve):
                let k = try evalExpr(ke, scope: scope, env: env)
                let v = try evalExpr(ve, scope: scope, env: env)
                if case .dynamic(let r) = k {
                    dynamicProblem("table key (\(r))", at: loc(ke.range, env))
                    continue
                }
                guard let key = k.key else {
                    throw LuaError(message: k.isNil ? "table index is nil" : "table index is NaN", location: loc(ke.range, env))
                }
                t.setField(key, v, range: field.range)
            }
        }
        return .table(t)
    }

    /// Lua 5.4's variable description in error messages (`global 'x'`, `local 'y'`, `field 'z'`).
    func describe(_ e: LuaExpr, scope: Scope) -> String? {
        switch e.kind {
        case .name(let n): return "\(scope.kindOf(n) ?? "global") '\(n)'"
        case .index(_, let k, _):
            if case .string(let s) = k.kind { return "field '\(s.text)'" }
            return nil
        case .methodCall(_, let m, _, _): return "method '\(m.name)'"
        case .string, .number, .nilLiteral, .trueLiteral, .falseLiteral: return "constant"
        default: return nil
        }
    }

    static let knownGlobals: Set<String> = [
        "CFG_CONFIGDIR", "CFG_DATADIR", "CFG_PLUGINDIR", "CFG_SOURCEDIR", "_G", "_VERSION", "arg", "assert",
        "bare_sessions", "collectgarbage", "coroutine", "debug", "dofile", "error", "full_sessions", "getmetatable",
        "hosts", "io", "ipairs", "lfs", "load", "loadfile", "log", "math", "next", "os", "package", "pairs", "pcall",
        "print", "prosody", "rawequal", "rawget", "rawlen", "rawset", "require", "select", "setmetatable", "string",
        "table", "tonumber", "tostring", "type", "utf8", "warn", "xpcall",
    ]

    func globalValue(_ name: String) -> LuaValue? {
        guard Self.knownGlobals.contains(name) else { return nil }
        switch name {
        case "ipairs": return .function(LuaFunction(.builtin(.ipairs)))
        case "pairs": return .function(LuaFunction(.builtin(.pairs)))
        case "next": return .function(LuaFunction(.builtin(.next)))
        case "tostring": return .function(LuaFunction(.builtin(.tostring)))
        case "tonumber": return .function(LuaFunction(.builtin(.tonumber)))
        case "type": return .function(LuaFunction(.builtin(.type)))
        case "error": return .function(LuaFunction(.builtin(.error)))
        case "print", "log", "warn": return .function(LuaFunction(.builtin(.noop)))
        case "select": return .function(LuaFunction(.builtin(.select)))
        case "assert": return .function(LuaFunction(.builtin(.assert)))
        case "rawget": return .function(LuaFunction(.builtin(.rawget)))
        case "rawset": return .function(LuaFunction(.builtin(.rawset)))
        case "rawlen": return .function(LuaFunction(.builtin(.rawlen)))
        case "rawequal": return .function(LuaFunction(.builtin(.rawequal)))
        case "_VERSION": return .string("Lua 5.4")
        case "string", "math", "table", "_G", "os", "io", "debug", "coroutine", "package", "utf8", "lfs",
             "prosody", "hosts", "arg", "bare_sessions", "full_sessions":
            return .namespace(name)
        case "CFG_CONFIGDIR", "CFG_DATADIR", "CFG_PLUGINDIR", "CFG_SOURCEDIR":
            return .dynamic("\(name) (set by Prosody's launcher)")
        default:
            return .function(LuaFunction(.builtin(.opaque(name))))
        }
    }

    func lookupName(_ name: String, range: SourceRange, scope: Scope, env: FileEnv, context: NameContext) throws -> LuaValue {
        if let box = scope.lookup(name) { return box.value }
        if name == "__currenthost" { return .string(env.currentHost) }
        if let v = env.raw[name] { return v }
        if name.hasPrefix("ENV_") {
            let variable = String(name.dropFirst(4))
            if let value = environment[variable] { return .string(value) }
            return .nil
        }
        if settings.version == .v13, let state = sections[env.currentHost], let entry = state.entry(name) {
            if case .table = entry.value { return .proxy(env.currentHost, name) }
            return entry.value
        }
        if let v = globalValue(name) {
            if settings.version == .v13 {
                warnings.append(ProsodyWarning(file: env.file, line: range.start.line,
                                               text: "direct usage of the Lua API is deprecated - replace `\(name)` with `Lua.\(name)`"))
            }
            return v
        }
        if let script = runScriptSeen {
            // A RunScript may have created this Lua global: not statically known.
            if context == .value { dynamicProblem("'\(name)' may be a Lua global set by RunScript \(script)", at: loc(range, env)) }
            return .dynamic("global '\(name)' (RunScript \(script))")
        }
        if context == .value {
            let location = loc(range, env)
            if optionNamesSet.contains(name) {
                report(.optionReadBeforeSet(name: name),
                       "'\(name)' is an option, not a variable: reading it gives nil (only `local` variables can be read back)",
                       at: location)
            } else {
                report(.bareIdentifierIsNil(name: name),
                       "'\(name)' is not a local variable, option or Lua global: it reads as nil (missing quotes?)",
                       at: location)
            }
        }
        return .nil
    }

    func index(_ base: LuaValue, _ key: LuaValue, at: SourceLocation, description: String?) throws -> LuaValue {
        switch base {
        case .table(let t):
            if case .dynamic = key { return key }
            guard let k = key.key else { return .nil }
            return t[k]
        case .namespace(let ns):
            guard case .string(let k) = key else { return .nil }
            return namespaceIndex(ns, k)
        case .string:
            guard case .string(let k) = key else { return .nil }
            return namespaceIndex("string", k)
        case .dynamic(let r):
            if case .string(let k) = key { return .dynamic("\(r).\(k)") }
            return .dynamic(r)
        case .proxy(let section, let name):
            if case .string("append") = key { return .function(LuaFunction(.proxyAppend(section, name))) }
            if case .string("values") = key { return .function(LuaFunction(.proxyValues(section, name))) }
            if case .dynamic = key { return key }
            let text = (try? tostring(key, at: at)) ?? key.typeName
            throw LuaError(message: "Unknown config option operation: '\(text)'", location: at)
        default:
            throw LuaError(message: "attempt to index a \(base.typeName) value\(LuaOps.describeSuffix(description))", location: at)
        }
    }

    func namespaceIndex(_ ns: String, _ key: String) -> LuaValue {
        func b(_ x: Builtin) -> LuaValue { .function(LuaFunction(.builtin(x))) }
        switch ns {
        case "_G":
            return globalValue(key) ?? .nil
        case "string":
            switch key {
            case "rep": return b(.stringRep)
            case "lower": return b(.stringLower)
            case "upper": return b(.stringUpper)
            case "len": return b(.stringLen)
            case "sub": return b(.stringSub)
            case "format": return b(.stringFormat)
            case "byte": return b(.stringByte)
            case "char": return b(.stringChar)
            default: return b(.opaque("string.\(key)"))
            }
        case "math":
            switch key {
            case "floor": return b(.mathFloor)
            case "ceil": return b(.mathCeil)
            case "max": return b(.mathMax)
            case "min": return b(.mathMin)
            case "abs": return b(.mathAbs)
            case "tointeger": return b(.mathTointeger)
            case "type": return b(.mathType)
            case "huge": return .float(.infinity)
            case "pi": return .float(.pi)
            case "maxinteger": return .int(.max)
            case "mininteger": return .int(.min)
            default: return b(.opaque("math.\(key)"))
            }
        case "table":
            switch key {
            case "insert": return b(.tableInsert)
            case "concat": return b(.tableConcat)
            case "remove": return b(.tableRemove)
            case "unpack": return b(.tableUnpack)
            default: return b(.opaque("table.\(key)"))
            }
        default:
            return .dynamic("\(ns).\(key)")
        }
    }

    // MARK: Operators

    /// Evaluates a binary expression; left-associative chains (`1 + 2 + ... + n`, `a or b or c`)
    /// are walked iteratively so long chains need no deep recursion.
    func binary(_ op: BinaryOperator, _ lE: LuaExpr, _ rE: LuaExpr, scope: Scope, env: FileEnv, whole: LuaExpr) throws -> LuaValue {
        var spine: [(op: BinaryOperator, left: LuaExpr, right: LuaExpr)] = [(op, lE, rE)]
        var leftmost = lE
        while case .binary(let innerOp, let l, let r) = leftmost.kind {
            spine.append((innerOp, l, r))
            leftmost = l
        }
        var value = try evalExpr(leftmost, scope: scope, env: env)
        for (op, leftE, rightE) in spine.reversed() {
            try tick(loc(rightE.range, env))
            switch op {
            case .and:
                guard let t = value.truthy else { continue }
                if t { value = try evalExpr(rightE, scope: scope, env: env) }
            case .or:
                guard let t = value.truthy else { continue }
                if !t { value = try evalExpr(rightE, scope: scope, env: env) }
            default:
                let r = try evalExpr(rightE, scope: scope, env: env)
                if case .dynamic = value { continue }
                if case .dynamic = r { value = r; continue }
                let at = SourceLocation(file: env.file, range: SourceRange(start: leftE.range.end, end: rightE.range.start))
                value = try LuaOps.binary(op, value, r, at: at, lDesc: describe(leftE, scope: scope), rDesc: describe(rightE, scope: scope))
            }
        }
        return value
    }

    func unary(_ op: UnaryOperator, _ v: LuaValue, at: SourceLocation, description: String?) throws -> LuaValue {
        if case .dynamic = v { return op == .not ? v : v }
        return try LuaOps.unary(op, v, at: at, description: description)
    }

    // MARK: Calls

    func call(_ f: LuaValue, _ args: [LuaValue], at: SourceLocation, env: FileEnv, description: String?) throws -> [LuaValue] {
        switch f {
        case .function(let fn):
            return try callFunction(fn, args, at: at, env: env)
        case .dynamic(let r):
            dynamicProblem("call of \(r)", at: at)
            return [.dynamic("\(r)(...)")]
        case .proxy(let section, let name):
            // Prosody 13: `modules_enabled { "x" }` appends to the section's own option.
            try appendToOption(section: section, name, args.first ?? .nil, at: at)
            return []
        case .namespace(let ns):
            if ns == "_G" || ns == "string" || ns == "math" || ns == "table" {
                throw LuaError(message: "attempt to call a table value\(LuaOps.describeSuffix(description))", location: at)
            }
            dynamicProblem("call of \(ns)", at: at)
            return [.dynamic("\(ns)(...)")]
        default:
            throw LuaError(message: "attempt to call a \(f.typeName) value\(LuaOps.describeSuffix(description))", location: at)
        }
    }

    func callFunction(_ fn: LuaFunction, _ args: [LuaValue], at: SourceLocation, env: FileEnv) throws -> [LuaValue] {
        switch fn.kind {
        case .closure(let body, let captured, let fenv, let name):
            callDepth += 1
            defer { callDepth -= 1 }
            if callDepth > settings.maxCallDepth {
                throw LuaError(message: "call depth limit (\(settings.maxCallDepth)) reached in \(name ?? "function")",
                               location: at, problemKind: .evaluationLimit, prosodyWouldFail: false)
            }
            let scope = Scope(parent: captured)
            scope.isFunctionRoot = true
            for (i, p) in body.parameters.enumerated() { scope.declare(p.name, i < args.count ? args[i] : .nil) }
            scope.varargs = body.isVariadic ? Array(args.dropFirst(body.parameters.count)) : []
            let flow = try execBlock(body.body, scope: scope, env: fenv, newScope: false)
            if case .returned(let values) = flow { return values }
            return []
        case .hostOptions(let name):
            return try hostOptions(name, args.first ?? .nil, at: at, env: env)
        case .componentModule(let name):
            let arg = args.first ?? .nil
            if case .string(let module) = arg {
                if name != Self.dynamicSectionName {
                    sectionState(name).declaredModules.append(module)
                    setOption(section: name, key: "component_module", value: .string(module), location: at,
                              valueRange: nil, viaTableForm: false, bookkeeping: true, statementLine: at.line)
                }
                return [.function(LuaFunction(.componentOptions(name)))]
            }
            if case .dynamic(let r) = arg {
                dynamicProblem("component module (\(r))", at: at)
                return [.function(LuaFunction(.componentOptions(name)))]
            }
            return try componentOptions(name, arg, at: at, env: env)
        case .componentOptions(let name):
            return try componentOptions(name, args.first ?? .nil, at: at, env: env)
        case .proxyAppend(let section, let name):
            try appendToOption(section: section, name, args.count > 1 ? args[1] : .nil, at: at)
            return []
        case .proxyValues(let section, let name):
            guard case .table(let t) = sections[section]?.rawValue(name) ?? .nil else { return [.nil] }
            return [.function(LuaFunction(.sequence(SequenceState(t.arrayValuesInOrder))))]
        case .sequence(let state):
            guard state.position < state.values.count else { return [.nil] }
            state.position += 1
            return [state.values[state.position - 1]]
        case .builtin(let b):
            return try callBuiltin(b, args, at: at, env: env)
        }
    }

    func hostOptions(_ name: String, _ arg: LuaValue, at: SourceLocation, env: FileEnv) throws -> [LuaValue] {
        env.currentHost = "*"
        switch arg {
        case .string(let s):
            throw LuaError(message: "VirtualHost entries do not accept a module name (module '\(s)' provided for host '\(name)')", location: at)
        case .table(let t):
            applyTableForm(t, to: name, at: at)
        case .dynamic(let r):
            dynamicProblem("options of VirtualHost \"\(name)\" (\(r))", at: at)
        default:
            throw LuaError(message: "Invalid syntax following VirtualHost, expected options but received a \(arg.typeName)", location: at)
        }
        return []
    }

    func componentOptions(_ name: String, _ arg: LuaValue, at: SourceLocation, env: FileEnv) throws -> [LuaValue] {
        env.currentHost = "*"
        switch arg {
        case .table(let t):
            applyTableForm(t, to: name, at: at)
        case .dynamic(let r):
            dynamicProblem("options of Component \"\(name)\" (\(r))", at: at)
        default:
            throw LuaError(message: "bad argument #1 to 'for iterator' (table expected, got \(arg.typeName))", location: at)
        }
        return []
    }

    func applyTableForm(_ t: LuaTable, to name: String, at: SourceLocation) {
        let ranges = t.fieldRanges()
        for key in t.pairsOrder {
            let value = t[key]
            let range = ranges[key]
            let location = range.map { SourceLocation(file: at.file, range: $0) } ?? at
            setOption(section: name, key: key.text, value: value, location: location, valueRange: range,
                      viaTableForm: true, bookkeeping: false, statementLine: location.line)
        }
    }

    func hostName(_ arg: LuaValue, what: String, at: SourceLocation) throws -> String? {
        let raw: String
        switch arg {
        case .nil, .bool(false):
            throw LuaError(message: what == "Host" ? "Host must have a name" : "Component must have a name", location: at)
        case .string(let s): raw = s
        case .int(let i): raw = String(i)
        case .float(let d): raw = LuaFormat.luaFloat(d)
        case .dynamic(let r):
            dynamicProblem("\(what == "Host" ? "VirtualHost" : "Component") name (\(r)); following options are not attributed", at: at)
            return nil
        default:
            throw LuaError(message: "bad argument #1 to 'nameprep' (string expected, got \(arg.typeName))", location: at)
        }
        guard let prepped = Nameprep.prepare(raw) else {
            throw LuaError(message: "Name of \(what) \"\(raw)\" contains forbidden characters", location: at,
                           problemKind: .invalidHostName(name: raw))
        }
        return prepped
    }

    func declareHost(_ arg: LuaValue, at: SourceLocation, env: FileEnv) throws -> [LuaValue] {
        guard let name = try hostName(arg, what: "Host", at: at) else {
            env.currentHost = Self.dynamicSectionName
            return [.function(LuaFunction(.hostOptions(Self.dynamicSectionName)))]
        }
        if let existing = sections[name], existing.entry("component_module") != nil {
            let module = existing.rawValue("component_module")
            var label = "?"
            if case .string(let m) = module {
                label = m
                if m.allSatisfy({ $0.isASCII && $0.isLetter }) {
                    if m == "component" { label = "external" } else if m == "muc" { label = "MUC" }
                }
            }
            throw LuaError(message: "Host \"\(name)\" clashes with previously defined \(label) Component \"\(name)\", for services use a sub-domain like conference.\(name)",
                           location: at, problemKind: .hostComponentClash(name: name), related: existing.declarations)
        }
        env.currentHost = name
        let state = sectionState(name)
        state.declarations.append(at)
        state.declaredAsHost = true
        setOption(section: name, key: "defined", value: .bool(true), location: at, valueRange: nil,
                  viaTableForm: false, bookkeeping: true, statementLine: at.line)
        return [.function(LuaFunction(.hostOptions(name)))]
    }

    func declareComponent(_ arg: LuaValue, at: SourceLocation, env: FileEnv) throws -> [LuaValue] {
        guard let name = try hostName(arg, what: "Component", at: at) else {
            env.currentHost = Self.dynamicSectionName
            return [.function(LuaFunction(.componentModule(Self.dynamicSectionName)))]
        }
        if let existing = sections[name], existing.rawValue("defined").truthy == true, existing.entry("component_module") == nil {
            throw LuaError(message: "Component \"\(name)\" clashes with previously defined VirtualHost \"\(name)\", for services use a sub-domain like conference.\(name)",
                           location: at, problemKind: .hostComponentClash(name: name), related: existing.declarations)
        }
        let state = sectionState(name)
        if state.declaredAsComponent {
            report(.duplicateComponent(name: name),
                   "Component \"\(name)\" is declared again; Prosody keeps the module of the last declaration",
                   at: at, related: state.declarations)
        }
        state.declarations.append(at)
        state.declaredAsComponent = true
        setOption(section: name, key: "component_module", value: .string("component"), location: at, valueRange: nil,
                  viaTableForm: false, bookkeeping: true, statementLine: at.line)
        setOption(section: name, key: "load_global_modules", value: .bool(false), location: at, valueRange: nil,
                  viaTableForm: false, bookkeeping: true, statementLine: at.line)
        env.currentHost = name
        return [.function(LuaFunction(.componentModule(name)))]
    }

    // MARK: Include

    func include(_ arg: LuaValue, at: SourceLocation, env: FileEnv) throws {
        let pattern: String
        switch arg {
        case .string(let s): pattern = s
        case .dynamic(let r):
            dynamicProblem("Include path (\(r)); the included files are not in the model", at: at)
            return
        default:
            throw LuaError(message: "attempt to index a \(arg.typeName) value (local 'file')", location: at)
        }
        if pattern.utf8.contains(where: { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") }) {
            guard let slash = pattern.lastIndex(of: "/") else {
                try includeGlob(directory: env.directory, glob: pattern, pattern: pattern, at: at, env: env)
                return
            }
            let glob = String(pattern[pattern.index(after: slash)...])
            if glob.isEmpty {
                throw LuaError(message: "attempt to perform arithmetic on a nil value (local 'path_pos')", location: at)
            }
            let dirPart = String(pattern[..<slash])
            let dir = dirPart.isEmpty ? "" : Self.resolveRelative(parent: env.directory, path: dirPart)
            try includeGlob(directory: dirPart.isEmpty ? env.directory : dir, glob: glob, pattern: pattern, at: at, env: env)
            return
        }
        includeFile(Self.resolveRelative(parent: env.directory, path: pattern), pattern: pattern, at: at, env: env)
    }

    func includeGlob(directory: String, glob: String, pattern: String, at: SourceLocation, env: FileEnv) throws {
        guard !directory.isEmpty, PosixFiles.kind(of: directory).isDirectory,
              var names = PosixFiles.directoryEntries(of: directory)
                ?? (try? FileManager.default.contentsOfDirectory(atPath: directory)) else {
            let problemMessage = "cannot open \(directory): No such file or directory"
            report(.includeNotFound(pattern: pattern), problemMessage, at: at, fatal: true)
            return
        }
        if settings.sortedIncludes { names.sort { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) } }
        let globBytes = Array(glob.utf8)
        var matched = 0
        for name in names where !name.hasPrefix(".") && Self.globMatch(Array(name.utf8), globBytes) {
            matched += 1
            // Prosody re-resolves each match against the including file's directory (which
            // doubles a relative directory part when the main path was relative, §0 item 5).
            includeFile(Self.resolveRelative(parent: env.directory, path: directory + "/" + name), pattern: pattern, at: at, env: env)
        }
        if matched == 0 {
            report(.includeNotFound(pattern: pattern),
                   "Include \"\(pattern)\" matches no file in \(directory) (Prosody loads nothing and says nothing)",
                   at: at, fatal: false)
        }
    }

    /// `pattern`: the Include argument as written (for problems).
    func includeFile(_ path: String, pattern: String, at: SourceLocation, env: FileEnv) {
        if includeStack.contains(path) || includeStack.contains(where: { Self.samePath($0, path) }) {
            report(.includeCycle(file: path), "Include cycle: \(path) is already being loaded (Prosody fails with a C stack overflow)",
                   at: at, fatal: true)
            return
        }
        if includeStack.count >= settings.maxIncludeDepth {
            report(.evaluationLimit, "Include nesting deeper than \(settings.maxIncludeDepth)", at: at, fatal: true)
            return
        }
        let kind = PosixFiles.kind(of: path)
        guard kind.exists else {
            report(.includeNotFound(pattern: pattern), "Error loading included \(path): \(path): No such file or directory",
                   at: at, fatal: true)
            return
        }
        if kind.isDirectory {
            report(.unreadableFile(path: path),
                   "Error loading included \(path): it is a directory (Prosody: bad argument #1 to 'load' (function expected, got nil))",
                   at: at, fatal: true)
            return
        }
        guard let bytes = PosixFiles.contents(of: path) else {
            report(.unreadableFile(path: path), "Error loading included \(path): \(path): Permission denied", at: at, fatal: true)
            return
        }
        loadFile(path: path, bytes: bytes, includedFrom: at)
    }

    static func samePath(_ a: String, _ b: String) -> Bool {
        let ra = URL(fileURLWithPath: a).resolvingSymlinksInPath().standardizedFileURL.path
        let rb = URL(fileURLWithPath: b).resolvingSymlinksInPath().standardizedFileURL.path
        return ra == rb
    }

    /// util.paths.resolve_relative_path: strip a trailing `/` of the parent and leading `./`
    /// of the path; absolute paths are kept.
    static func resolveRelative(parent: String, path: String) -> String {
        var p = Substring(parent)
        while p.hasSuffix("/") { p = p.dropLast() }
        var q = Substring(path)
        if q.hasPrefix("./") {
            q = q.dropFirst(2)
            while q.hasPrefix("/") { q = q.dropFirst() }
        }
        if q.hasPrefix("/") { return String(q) }
        return String(p) + "/" + String(q)
    }

    /// `*` any string, `?` one byte, everything else literal; the whole name must match.
    static func globMatch(_ name: [UInt8], _ glob: [UInt8]) -> Bool {
        var n = 0, g = 0
        var starG = -1, starN = 0
        while n < name.count {
            if g < glob.count, glob[g] == UInt8(ascii: "?") || (glob[g] != UInt8(ascii: "*") && glob[g] == name[n]) {
                n += 1; g += 1
            } else if g < glob.count, glob[g] == UInt8(ascii: "*") {
                starG = g; starN = n; g += 1
            } else if starG >= 0 {
                g = starG + 1; starN += 1; n = starN
            } else {
                return false
            }
        }
        while g < glob.count, glob[g] == UInt8(ascii: "*") { g += 1 }
        return g == glob.count
    }

    func readRelative(_ arg: LuaValue, function: String, at: SourceLocation, env: FileEnv) throws -> String? {
        guard case .string(let p) = arg else {
            if case .dynamic(let r) = arg { dynamicProblem("\(function) path (\(r))", at: at); return nil }
            throw LuaError(message: "bad argument #1 to '\(function)' (string expected, got \(arg.typeName))", location: at)
        }
        let path = Self.resolveRelative(parent: env.directory, path: p)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LuaError(message: "\(path): No such file or directory", location: at)
        }
        sources[path] = [UInt8](data)
        return String(decoding: data, as: UTF8.self)
    }
}

extension LuaValue {
    var reason: String {
        if case .dynamic(let r) = self { return r }
        return typeName
    }
    var asDouble: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .float(let d): return d
        case .string(let s):
            switch LuaFormat.number(from: s) {
            case .int(let i)?: return Double(i)
            case .float(let d)?: return d
            default: return nil
            }
        default: return nil
        }
    }
    var functionObject: LuaFunction? {
        if case .function(let f) = self { return f }
        return nil
    }
}
