import Foundation
import LuaSyntax

extension Evaluator {
    func callBuiltin(_ b: Builtin, _ args: [LuaValue], at: SourceLocation, env: FileEnv) throws -> [LuaValue] {
        func arg(_ i: Int) -> LuaValue { i < args.count ? args[i] : .nil }
        func fn(_ x: Builtin) -> LuaValue { .function(LuaFunction(.builtin(x))) }
        func badArg(_ i: Int, _ name: String, _ expected: String) -> LuaError {
            LuaError(message: "bad argument #\(i + 1) to '\(name)' (\(expected) expected, got \(arg(i).isNil && i >= args.count ? "no value" : arg(i).typeName))", location: at)
        }
        // Any dynamic argument to a pure function makes the result dynamic.
        let pure: Bool
        switch b {
        case .virtualHost, .component, .include, .runScript, .noop, .opaque, .error, .assert, .select,
             .fileContents, .fileLine, .fileLines, .credential, .tableInsert, .rawset, .ipairs, .pairs:
            pure = false
        default: pure = true
        }
        if pure, let d = args.first(where: \.isDynamic) { return [d] }

        switch b {
        case .virtualHost:
            return try declareHost(arg(0), at: at, env: env)
        case .component:
            return try declareComponent(arg(0), at: at, env: env)
        case .include:
            try include(arg(0), at: at, env: env)
            return []
        case .runScript:
            if runScriptSeen == nil {
                if case .string(let script) = arg(0) { runScriptSeen = "\"\(script)\"" } else { runScriptSeen = "(dynamic)" }
            }
            dynamicProblem("RunScript runs a plain Lua file with the real global environment", at: at)
            return [.dynamic("RunScript result")]
        case .noop:
            return []
        case .opaque(let name):
            dynamicProblem("\(name)(...) depends on the host running Prosody", at: at)
            return [.dynamic("\(name)(...)")]
        case .ipairs:
            if case .dynamic = arg(0) { return [arg(0)] }
            if case .proxy = arg(0) { throw LuaError(message: "Unknown config option operation: '1'", location: at) }
            guard case .table = arg(0) else { throw badArg(0, "ipairs", "table") }
            return [fn(.ipairsIterator), arg(0), .int(0)]
        case .pairs:
            if case .dynamic = arg(0) { return [arg(0)] }
            if case .proxy(let h, let n) = arg(0) {
                dynamicProblem("pairs() over the option proxy \(h)/\(n)", at: at)
                return [.dynamic("pairs(option proxy)")]
            }
            guard case .table = arg(0) else { throw badArg(0, "pairs", "table") }
            return [fn(.pairsIterator), arg(0), .nil]
        case .ipairsIterator:
            guard case .table(let t) = arg(0), case .int(let i) = arg(1) else { return [.nil] }
            let v = t[.int(i + 1)]
            return v.isNil ? [.nil] : [.int(i + 1), v]
        case .pairsIterator, .next:
            guard case .table(let t) = arg(0) else { throw badArg(0, "next", "table") }
            let order = t.pairsOrder
            var index = 0
            if let k = arg(1).key {
                guard let pos = order.firstIndex(of: k) else { return [.nil] }
                index = pos + 1
            }
            guard index < order.count else { return [.nil] }
            return [order[index].value, t[order[index]]]
        case .tostring:
            return [.string(try tostring(arg(0), at: at))]
        case .tonumber:
            switch arg(0) {
            case .int, .float: return [arg(0)]
            case .string(let s):
                if case .int(let base) = arg(1), base != 10 {
                    guard let v = Int64(s.trimmingCharacters(in: .whitespaces), radix: Int(base)) else { return [.nil] }
                    return [.int(v)]
                }
                return [LuaFormat.number(from: s) ?? .nil]
            default: return [.nil]
            }
        case .type:
            if args.isEmpty { throw badArg(0, "type", "value") }
            return [.string(arg(0).typeName)]
        case .error:
            var message: String
            switch arg(0) {
            case .string(let s): message = s
            case .int, .float: message = try tostring(arg(0), at: at)
            case .nil: message = "nil"
            case .dynamic(let r): message = "<dynamic: \(r)>"
            default: message = "(error object is a \(arg(0).typeName) value)"
            }
            _ = message
            throw LuaError(message: message, location: at)
        case .assert:
            if let t = arg(0).truthy, !t {
                if case .string(let s) = arg(1) { throw LuaError(message: s, location: at) }
                throw LuaError(message: "assertion failed!", location: at)
            }
            return args
        case .select:
            if case .string("#") = arg(0) { return [.int(Int64(args.count - 1))] }
            guard case .int(let n) = arg(0) else { throw badArg(0, "select", "number") }
            let count = Int64(args.count - 1)
            if n < 0 {
                guard n >= -count else { throw LuaError(message: "bad argument #1 to 'select' (index out of range)", location: at) }
                return Array(args.suffix(Int(-n)))
            }
            if n == 0 { throw LuaError(message: "bad argument #1 to 'select' (index out of range)", location: at) }
            return n > count ? [] : Array(args.dropFirst(Int(n)))
        case .rawget:
            guard case .table(let t) = arg(0) else { throw badArg(0, "rawget", "table") }
            return [arg(1).key.map { t[$0] } ?? .nil]
        case .rawset:
            guard case .table(let t) = arg(0) else { throw badArg(0, "rawset", "table") }
            if let k = arg(1).key { t[k] = arg(2) }
            return [arg(0)]
        case .rawlen:
            switch arg(0) {
            case .table(let t): return [.int(t.length)]
            case .string(let s): return [.int(Int64(s.utf8.count))]
            default: throw badArg(0, "rawlen", "table or string")
            }
        case .rawequal:
            return [.bool(LuaOps.rawEqual(arg(0), arg(1)))]
        case .pcall, .setmetatable, .getmetatable:
            dynamicProblem("\(b) is not evaluated", at: at)
            return [.dynamic("\(b)(...)")]
        case .unpack, .tableUnpack:
            guard case .table(let t) = arg(0) else { throw badArg(0, "unpack", "table") }
            let n = t.length
            if n == 0 { return [] }
            if n > 10_000 { throw LuaError(message: "too many results to unpack", location: at) }
            return (1...n).map { t[.int($0)] }
        case .tableInsert:
            guard case .table(let t) = arg(0) else {
                if case .dynamic = arg(0) { dynamicProblem("table.insert into a dynamic value", at: at); return [] }
                throw badArg(0, "insert", "table")
            }
            if args.count == 2 {
                t[.int(t.length + 1)] = arg(1)
            } else if args.count == 3 {
                guard case .int(let pos) = arg(1) else { throw badArg(1, "insert", "number") }
                let n = t.length
                guard pos >= 1, pos <= n + 1 else { throw LuaError(message: "bad argument #2 to 'insert' (position out of bounds)", location: at) }
                var i = n
                while i >= pos { t[.int(i + 1)] = t[.int(i)]; i -= 1 }
                t[.int(pos)] = arg(2)
            } else {
                throw LuaError(message: "wrong number of arguments to 'insert'", location: at)
            }
            return []
        case .tableRemove:
            guard case .table(let t) = arg(0) else { throw badArg(0, "remove", "table") }
            let n = t.length
            var pos = n
            if case .int(let p) = arg(1) { pos = p }
            if n == 0 && args.count < 2 { return [.nil] }
            if args.count >= 2, n + 1 != pos, pos < 1 || pos > n + 1 {
                if !(n == 0 && pos == 0) {
                    throw LuaError(message: "bad argument #2 to 'remove' (position out of bounds)", location: at)
                }
            }
            let removed = t[.int(pos)]
            var i = pos
            while i < n { t[.int(i)] = t[.int(i + 1)]; i += 1 }
            if pos <= n { t[.int(n)] = .nil }
            return [removed]
        case .tableConcat:
            guard case .table(let t) = arg(0) else { throw badArg(0, "concat", "table") }
            var sep = ""
            if case .string(let s) = arg(1) { sep = s }
            var first: Int64 = 1, last = t.length
            if case .int(let i) = arg(2) { first = i }
            if case .int(let j) = arg(3) { last = j }
            var parts: [String] = []
            if first <= last {
                for i in first...last {
                    switch t[.int(i)] {
                    case .string(let s): parts.append(s)
                    case .int, .float: parts.append(try tostring(t[.int(i)], at: at))
                    case .dynamic: return [t[.int(i)]]
                    default: throw LuaError(message: "invalid value (at index \(i)) in table for 'concat'", location: at)
                    }
                }
            }
            return [.string(parts.joined(separator: sep))]
        case .stringRep:
            guard case .string(let s) = arg(0) ?? .nil else { throw badArg(0, "rep", "string") }
            guard case .int(let n) = LuaOps.toNumber(arg(1)) ?? .nil else { throw badArg(1, "rep", "number") }
            if n <= 0 { return [.string("")] }
            let (total, overflow) = Int64(s.utf8.count + 1).multipliedReportingOverflow(by: n)
            if overflow || total > 10_000_000 { throw LuaError(message: "resulting string too large", location: at) }
            var sep = ""
            if case .string(let x) = arg(2) { sep = x }
            return [.string(Array(repeating: s, count: Int(n)).joined(separator: sep))]
        case .stringLower, .stringUpper, .stringLen:
            let s: String
            switch arg(0) {
            case .string(let x): s = x
            case .int, .float: s = try tostring(arg(0), at: at)
            default: throw badArg(0, b == .stringLen ? "len" : (b == .stringLower ? "lower" : "upper"), "string")
            }
            if b == .stringLen { return [.int(Int64(s.utf8.count))] }
            // Lua's lower/upper only touch ASCII letters (C locale).
            let bytes = s.utf8.map { c -> UInt8 in
                if b == .stringLower, c >= 65, c <= 90 { return c + 32 }
                if b == .stringUpper, c >= 97, c <= 122 { return c - 32 }
                return c
            }
            return [.string(String(decoding: bytes, as: UTF8.self))]
        case .stringSub:
            guard case .string(let s) = arg(0) else { throw badArg(0, "sub", "string") }
            let bytes = Array(s.utf8)
            let len = Int64(bytes.count)
            var i: Int64 = 1, j: Int64 = -1
            if case .int(let x) = arg(1) { i = x }
            if case .int(let y) = arg(2) { j = y }
            if i < 0 { i = max(len + i + 1, 1) } else if i == 0 { i = 1 }
            if j < 0 { j = len + j + 1 } else if j > len { j = len }
            if i > j { return [.string("")] }
            return [.string(String(decoding: bytes[Int(i - 1)..<Int(j)], as: UTF8.self))]
        case .stringByte:
            guard case .string(let s) = arg(0) else { throw badArg(0, "byte", "string") }
            let bytes = Array(s.utf8)
            var i: Int64 = 1
            if case .int(let x) = arg(1) { i = x }
            guard i >= 1, i <= bytes.count else { return [] }
            return [.int(Int64(bytes[Int(i - 1)]))]
        case .stringChar:
            var bytes: [UInt8] = []
            for (i, a) in args.enumerated() {
                guard case .int(let c) = a, c >= 0, c <= 255 else { throw badArg(i, "char", "number") }
                bytes.append(UInt8(c))
            }
            return [.string(String(decoding: bytes, as: UTF8.self))]
        case .stringFormat:
            return [.string(try format(args, at: at))]
        case .mathFloor, .mathCeil:
            switch LuaOps.toNumber(arg(0)) {
            case .int(let i)?: return [.int(i)]
            case .float(let d)?:
                let r = b == .mathFloor ? d.rounded(.down) : d.rounded(.up)
                if let i = LuaFormat.exactInt(r) { return [.int(i)] }
                return [.float(r)]
            default: throw badArg(0, b == .mathFloor ? "floor" : "ceil", "number")
            }
        case .mathAbs:
            switch LuaOps.toNumber(arg(0)) {
            case .int(let i)?: return [.int(i < 0 ? 0 &- i : i)]
            case .float(let d)?: return [.float(abs(d))]
            default: throw badArg(0, "abs", "number")
            }
        case .mathMax, .mathMin:
            guard !args.isEmpty else { throw badArg(0, b == .mathMax ? "max" : "min", "number") }
            var best = args[0]
            for a in args.dropFirst() {
                let less = try LuaOps.lessThan(best, a, at: at)
                if b == .mathMax ? less : try LuaOps.lessThan(a, best, at: at) { best = a }
            }
            return [best]
        case .mathTointeger:
            switch arg(0) {
            case .int: return [arg(0)]
            case .float(let d): return [LuaFormat.exactInt(d).map { .int($0) } ?? .nil]
            default: return [.nil]
            }
        case .mathType:
            switch arg(0) {
            case .int: return [.string("integer")]
            case .float: return [.string("float")]
            default: return [.nil]
            }
        case .fileContents, .fileLine, .fileLines:
            let name = b == .fileContents ? "FileContents" : (b == .fileLine ? "FileLine" : "FileLines")
            guard let text = try readRelative(arg(0), function: name, at: at, env: env) else { return [.dynamic("\(name)(...)")] }
            if b == .fileContents { return [.string(text)] }
            var lines = text.components(separatedBy: "\n")
            if lines.last == "" { lines.removeLast() }
            if b == .fileLine { return [lines.first.map { .string($0) } ?? .nil] }
            let t = LuaTable()
            for (i, l) in lines.enumerated() { t[.int(Int64(i + 1))] = .string(l) }
            return [.table(t)]
        case .credential:
            guard case .string(let name) = arg(0) else {
                throw badArg(0, "Credential", "string")
            }
            guard let dir = environment["CREDENTIALS_DIRECTORY"] else {
                dynamicProblem("Credential(\"\(name)\") needs $CREDENTIALS_DIRECTORY", at: at)
                return [.dynamic("Credential(\"\(name)\")")]
            }
            let path = dir + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else {
                throw LuaError(message: "\(path): No such file or directory", location: at)
            }
            return [.string(String(decoding: data, as: UTF8.self))]
        }
    }

    func tostring(_ v: LuaValue, at: SourceLocation) throws -> String {
        switch v {
        case .nil: return "nil"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let d): return LuaFormat.luaFloat(d)
        case .string(let s): return s
        default:
            throw LuaError(message: "tostring of a \(v.typeName) gives an address that is not statically known",
                           location: at, problemKind: .dynamic, prosodyWouldFail: false)
        }
    }

    /// string.format for the common directives (%s %d %i %q %x %X %f %g %%).
    func format(_ args: [LuaValue], at: SourceLocation) throws -> String {
        guard case .string(let f) = args.first ?? .nil else {
            throw LuaError(message: "bad argument #1 to 'format' (string expected, got \((args.first ?? .nil).typeName))", location: at)
        }
        var out = ""
        var argIndex = 1
        var chars = Array(f)
        var i = 0
        func next() throws -> LuaValue {
            defer { argIndex += 1 }
            guard argIndex < args.count else {
                throw LuaError(message: "bad argument #\(argIndex + 1) to 'format' (no value)", location: at)
            }
            return args[argIndex]
        }
        while i < chars.count {
            let c = chars[i]
            if c != "%" { out.append(c); i += 1; continue }
            i += 1
            guard i < chars.count else { throw LuaError(message: "invalid conversion '%' to 'format'", location: at) }
            var spec = "%"
            while i < chars.count, "-+ #0123456789.".contains(chars[i]) { spec.append(chars[i]); i += 1 }
            // Lua allows at most two digits of width and of precision.
            if spec.split(whereSeparator: { !$0.isNumber }).contains(where: { $0.count > 2 }) || spec.count > 12 {
                throw LuaError(message: "invalid conversion '\(spec)' to 'format'", location: at)
            }
            guard i < chars.count else { throw LuaError(message: "invalid conversion '\(spec)' to 'format'", location: at) }
            let conv = chars[i]
            i += 1
            switch conv {
            case "%": out.append("%")
            case "s":
                let v = try next()
                let s = try tostring(v, at: at)
                out += spec == "%" ? s : String(format: spec + "@", s as NSString)
            case "d", "i":
                let v = try next()
                guard let n = LuaOps.toNumber(v) else { throw LuaError(message: "bad argument #\(argIndex) to 'format' (number expected, got \(v.typeName))", location: at) }
                let iv: Int64
                switch n {
                case .int(let x): iv = x
                case .float(let d):
                    guard let x = LuaFormat.exactInt(d) else { throw LuaError(message: "bad argument #\(argIndex) to 'format' (number has no integer representation)", location: at) }
                    iv = x
                default: iv = 0
                }
                out += String(format: spec + "lld", iv)
            case "x", "X", "o":
                let v = try next()
                guard case .int(let x)? = LuaOps.toNumber(v) else { throw LuaError(message: "bad argument #\(argIndex) to 'format' (number expected, got \(v.typeName))", location: at) }
                out += String(format: spec + "ll" + String(conv), x)
            case "f", "g", "e", "G", "E":
                let v = try next()
                guard let d = v.asDouble else { throw LuaError(message: "bad argument #\(argIndex) to 'format' (number expected, got \(v.typeName))", location: at) }
                out += String(format: spec + String(conv), d)
            case "q":
                let v = try next()
                switch v {
                case .string(let s):
                    var q = "\""
                    for ch in s {
                        switch ch {
                        case "\"": q += "\\\""
                        case "\\": q += "\\\\"
                        case "\n": q += "\\n"
                        case "\r": q += "\\r"
                        case "\0": q += "\\0"
                        default: q.append(ch)
                        }
                    }
                    out += q + "\""
                default: out += try tostring(v, at: at)
                }
            default:
                throw LuaError(message: "invalid conversion '\(spec)\(conv)' to 'format'", location: at)
            }
        }
        chars = []
        return out
    }
}

enum LuaOps {
    static func toNumber(_ v: LuaValue) -> LuaValue? {
        switch v {
        case .int, .float: return v
        case .string(let s): return LuaFormat.number(from: s)
        default: return nil
        }
    }

    static func rawEqual(_ a: LuaValue, _ b: LuaValue) -> Bool {
        switch (a, b) {
        case (.nil, .nil): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.float(let x), .float(let y)): return x == y
        case (.int(let x), .float(let y)), (.float(let y), .int(let x)): return Double(x) == y && LuaFormat.exactInt(y) == x
        case (.string(let x), .string(let y)): return x == y
        case (.table(let x), .table(let y)): return x === y
        case (.function(let x), .function(let y)): return x === y
        case (.namespace(let x), .namespace(let y)): return x == y
        default: return false
        }
    }

    static func describeSuffix(_ d: String?) -> String {
        guard let d, d != "constant" else { return "" }
        return " (\(d))"
    }

    static func lessThan(_ a: LuaValue, _ b: LuaValue, at: SourceLocation, orEqual: Bool = false) throws -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): return orEqual ? x <= y : x < y
        case (.string(let x), .string(let y)):
            let ax = Array(x.utf8), ay = Array(y.utf8)
            return orEqual ? !ay.lexicographicallyPrecedes(ax) : ax.lexicographicallyPrecedes(ay)
        default:
            if let x = numeric(a), let y = numeric(b) { return orEqual ? x <= y : x < y }
            if a.typeName == b.typeName {
                throw LuaError(message: "attempt to compare two \(a.typeName) values", location: at)
            }
            throw LuaError(message: "attempt to compare \(a.typeName) with \(b.typeName)", location: at)
        }
    }

    static func numeric(_ v: LuaValue) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .float(let d): return d
        default: return nil
        }
    }

    static func arithmeticOperand(_ v: LuaValue) -> LuaValue? {
        switch v {
        case .int, .float: return v
        case .string(let s): return LuaFormat.number(from: s)
        default: return nil
        }
    }

    static func toInteger(_ v: LuaValue) -> Int64? {
        switch v {
        case .int(let i): return i
        case .float(let d): return LuaFormat.exactInt(d)
        case .string(let s): return toInteger(LuaFormat.number(from: s) ?? .nil)
        default: return nil
        }
    }

    static func binary(_ op: BinaryOperator, _ l: LuaValue, _ r: LuaValue, at: SourceLocation,
                       lDesc: String?, rDesc: String?) throws -> LuaValue {
        switch op {
        case .equal: return .bool(rawEqual(l, r))
        case .notEqual: return .bool(!rawEqual(l, r))
        case .less: return .bool(try lessThan(l, r, at: at))
        case .lessEqual: return .bool(try lessThan(l, r, at: at, orEqual: true))
        case .greater: return .bool(try lessThan(r, l, at: at))
        case .greaterEqual: return .bool(try lessThan(r, l, at: at, orEqual: true))
        case .concat:
            func piece(_ v: LuaValue, _ d: String?) throws -> String {
                switch v {
                case .string(let s): return s
                case .int(let i): return String(i)
                case .float(let f): return LuaFormat.luaFloat(f)
                default:
                    throw LuaError(message: "attempt to concatenate a \(v.typeName) value\(describeSuffix(d))", location: at)
                }
            }
            // Lua checks the right operand first when both are bad? It reports the first non-string.
            let a = try piece(l, lDesc), b = try piece(r, rDesc)
            if a.utf8.count + b.utf8.count > 32_000_000 {
                throw LuaError(message: "string longer than 32 MB built by concatenation; not evaluated", location: at,
                               problemKind: .evaluationLimit, prosodyWouldFail: false)
            }
            return .string(a + b)
        case .bitAnd, .bitOr, .bitXor, .shiftLeft, .shiftRight:
            guard let x = toInteger(l) else { throw bitError(l, lDesc, at) }
            guard let y = toInteger(r) else { throw bitError(r, rDesc, at) }
            switch op {
            case .bitAnd: return .int(x & y)
            case .bitOr: return .int(x | y)
            case .bitXor: return .int(x ^ y)
            case .shiftLeft: return .int(shift(x, y))
            default: return .int(shift(x, y == .min ? .max : -y))
            }
        default: break
        }
        guard let a = arithmeticOperand(l) else {
            throw LuaError(message: "attempt to perform arithmetic on a \(l.typeName) value\(describeSuffix(lDesc))", location: at)
        }
        guard let b = arithmeticOperand(r) else {
            throw LuaError(message: "attempt to perform arithmetic on a \(r.typeName) value\(describeSuffix(rDesc))", location: at)
        }
        if case .int(let x) = a, case .int(let y) = b {
            switch op {
            case .add: return .int(x &+ y)
            case .subtract: return .int(x &- y)
            case .multiply: return .int(x &* y)
            case .floorDivide:
                if y == 0 { throw LuaError(message: "attempt to divide by zero", location: at) }
                if y == -1 { return .int(0 &- x) }
                var q = x / y
                if (x % y != 0) && ((x < 0) != (y < 0)) { q -= 1 }
                return .int(q)
            case .modulo:
                if y == 0 { throw LuaError(message: "attempt to perform 'n%0'", location: at) }
                if y == -1 { return .int(0) }
                var m = x % y
                if m != 0 && ((m < 0) != (y < 0)) { m += y }
                return .int(m)
            default: break
            }
        }
        let x = numeric(a)!, y = numeric(b)!
        switch op {
        case .add: return .float(x + y)
        case .subtract: return .float(x - y)
        case .multiply: return .float(x * y)
        case .divide: return .float(x / y)
        case .power: return .float(pow(x, y))
        case .floorDivide: return .float((x / y).rounded(.down))
        case .modulo:
            if y.isInfinite, x.isFinite { return .float((x >= 0) == (y > 0) ? x : y) }
            var m = fmod(x, y)
            if m != 0 && ((m < 0) != (y < 0)) { m += y }
            return .float(m)
        default: return .nil
        }
    }

    static func isStringy(_ v: LuaValue) -> Bool {
        switch v {
        case .string, .int, .float: return true
        default: return false
        }
    }

    static func shift(_ x: Int64, _ n: Int64) -> Int64 {
        if n <= -64 || n >= 64 { return 0 }
        let u = UInt64(bitPattern: x)
        return n >= 0 ? Int64(bitPattern: u << UInt64(n)) : Int64(bitPattern: u >> UInt64(-n))
    }

    static func bitError(_ v: LuaValue, _ d: String?, _ at: SourceLocation) -> LuaError {
        if case .float = v { return LuaError(message: "number has no integer representation", location: at) }
        return LuaError(message: "attempt to perform bitwise operation on a \(v.typeName) value\(describeSuffix(d))", location: at)
    }

    static func unary(_ op: UnaryOperator, _ v: LuaValue, at: SourceLocation, description: String?) throws -> LuaValue {
        switch op {
        case .not: return .bool(!(v.truthy ?? true))
        case .negate:
            switch arithmeticOperand(v) {
            case .int(let i)?: return .int(0 &- i)
            case .float(let d)?: return .float(-d)
            default:
                throw LuaError(message: "attempt to perform arithmetic on a \(v.typeName) value\(describeSuffix(description))", location: at)
            }
        case .length:
            switch v {
            case .proxy: return .int(0)
            case .string(let s): return .int(Int64(s.utf8.count))
            case .table(let t): return .int(t.length)
            default:
                throw LuaError(message: "attempt to get length of a \(v.typeName) value\(describeSuffix(description))", location: at)
            }
        case .bitNot:
            guard let i = toInteger(v) else { throw bitError(v, description, at) }
            return .int(~i)
        }
    }
}

/// An approximation of stringprep nameprep (RFC 3491): mapping (B.1 removed, case folded),
/// NFKC, prohibited code points (C.1.2–C.9) rejected. Returns nil when prohibited.
enum Nameprep {
    static func prepare(_ name: String) -> String? {
        // ASCII: nothing is mapped to nothing or prohibited, case folding is A-Z -> a-z and NFKC
        // changes nothing, so the result is the ASCII lowercasing (same answer, no Foundation).
        if name.utf8.allSatisfy({ $0 < 0x80 }) {
            if !name.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) { return name }
            return String(decoding: name.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
        }
        var scalars = String.UnicodeScalarView()
        for s in name.unicodeScalars {
            if mappedToNothing(s.value) { continue }
            if prohibited(s.value) { return nil }
            scalars.append(s)
        }
        // Case folding (B.2: ß -> ss, ς -> σ, ﬁ -> fi...), then NFKC.
        let mapped = String(scalars).folding(options: .caseInsensitive, locale: nil)
        let normalized = mapped.precomposedStringWithCompatibilityMapping
        for s in normalized.unicodeScalars where prohibited(s.value) { return nil }
        return normalized
    }

    static func mappedToNothing(_ v: UInt32) -> Bool {
        switch v {
        case 0x00AD, 0x034F, 0x1806, 0x180B...0x180D, 0x200B...0x200D, 0x2060, 0xFE00...0xFE0F, 0xFEFF: return true
        default: return false
        }
    }

    static func prohibited(_ v: UInt32) -> Bool {
        switch v {
        case 0x00A0, 0x1680, 0x2000...0x200A, 0x200B, 0x202F, 0x205F, 0x3000: return true // C.1.2
        case 0x0080...0x009F, 0x06DD, 0x070F, 0x180E, 0x200C, 0x200D, 0x2028, 0x2029, 0x2060...0x2063,
             0x206A...0x206F, 0xFEFF, 0xFFF9...0xFFFC, 0x1D173...0x1D17A: return true // C.2.2
        case 0xE000...0xF8FF, 0xF0000...0xFFFFD, 0x100000...0x10FFFD: return true // C.3
        case 0xFDD0...0xFDEF: return true // C.4
        case 0xD800...0xDFFF: return true // C.5
        case 0xFFFD: return true // C.6
        case 0x2FF0...0x2FFB: return true // C.7
        case 0x0340, 0x0341, 0x200E, 0x200F, 0x202A...0x202E: return true // C.8
        case 0xE0001, 0xE0020...0xE007F: return true // C.9
        default:
            if v & 0xFFFE == 0xFFFE { return true } // C.4 non-characters
            return false
        }
    }
}
