import Foundation
import LuaSyntax

// Internal runtime values of the config evaluator. Tables are references (Lua
// semantics: an option can be changed later through a local alias), converted to
// plain `ConfigValue`s when the model is built.

final class LuaTable {
    /// Keys and values in insertion order (a removed key leaves no entry). Config tables are
    /// mostly small lists and records: one array, searched in place, costs far less than an
    /// array of keys plus a dictionary, and a config of megabytes makes tens of thousands.
    private(set) var pairs: [(key: LuaKey, value: LuaValue)] = []
    /// Position of each key in `pairs`, made once the table outgrows a linear search.
    private var positions: [LuaKey: Int]?
    /// Where the constructor wrote each field, in order (the last write of a key wins). Kept
    /// for the table form (`VirtualHost "x" { ... }`), which gives each option its location;
    /// later assignments into the table do not change it.
    private var constructorRanges: [(key: LuaKey, range: SourceRange)] = []

    private static let linearSearchLimit = 8

    private func position(of key: LuaKey) -> Int? {
        if let positions { return positions[key] }
        for index in pairs.indices where pairs[index].key == key { return index }
        return nil
    }

    subscript(key: LuaKey) -> LuaValue {
        get { position(of: key).map { pairs[$0].value } ?? .nil }
        set {
            if case .nil = newValue {
                guard let index = position(of: key) else { return }
                pairs.remove(at: index)
                if positions != nil { reindex() }
                return
            }
            if let index = position(of: key) {
                pairs[index].value = newValue
                return
            }
            pairs.append((key, newValue))
            if positions != nil {
                positions![key] = pairs.count - 1
            } else if pairs.count > Self.linearSearchLimit {
                reindex()
            }
        }
    }

    private func reindex() {
        guard pairs.count > Self.linearSearchLimit else { positions = nil; return }
        var map = [LuaKey: Int](minimumCapacity: pairs.count)
        for (index, pair) in pairs.enumerated() { map[pair.key] = index }
        positions = map
    }

    /// A constructor field's write: the value, and where the field was written.
    func setField(_ key: LuaKey, _ value: LuaValue, range: SourceRange) {
        self[key] = value
        constructorRanges.append((key, range))
    }

    /// Where the constructor last wrote each key (nil for keys it never wrote).
    func fieldRanges() -> [LuaKey: SourceRange] {
        var ranges: [LuaKey: SourceRange] = [:]
        for (key, range) in constructorRanges { ranges[key] = range }
        return ranges
    }

    /// Lua's `#` (border): the array part up to the first nil.
    var length: Int64 {
        var n: Int64 = 0
        while !self[.int(n + 1)].isNil { n += 1 }
        return n
    }

    var entries: [(LuaKey, LuaValue)] { pairs.map { ($0.key, $0.value) } }

    /// Values at 1, 2, ... up to the first nil.
    var arrayValuesInOrder: [LuaValue] {
        var result: [LuaValue] = []
        var i: Int64 = 1
        while true {
            let v = self[.int(i)]
            if v.isNil { return result }
            result.append(v)
            i += 1
        }
    }

    /// Iteration order like Lua's `pairs` for constructor-built tables: array part 1..n
    /// first, then the other keys in insertion order.
    var pairsOrder: [LuaKey] {
        let n = length
        var result: [LuaKey] = []
        if n > 0 { for i in 1...n { result.append(.int(i)) } }
        for pair in pairs {
            if case .int(let i) = pair.key, i >= 1, i <= n { continue }
            result.append(pair.key)
        }
        return result
    }
}

enum LuaKey: Hashable {
    case int(Int64)
    case float(Double)
    case string(String)
    case bool(Bool)
    case object(ObjectIdentifier, String)

    static func == (a: LuaKey, b: LuaKey) -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x == y
        case (.float(let x), .float(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.object(let x, _), .object(let y, _)): return x == y
        default: return false
        }
    }

    func hash(into h: inout Hasher) {
        switch self {
        case .int(let i): h.combine(0); h.combine(i)
        case .float(let d): h.combine(1); h.combine(d)
        case .string(let s): h.combine(2); h.combine(s)
        case .bool(let b): h.combine(3); h.combine(b)
        case .object(let o, _): h.combine(4); h.combine(o)
        }
    }

    var value: LuaValue {
        switch self {
        case .int(let i): return .int(i)
        case .float(let d): return .float(d)
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .object: return .dynamic("table key")
        }
    }

    /// The key as the oracle writes it (and as we name options from a table form).
    var text: String {
        switch self {
        case .int(let i): return String(i)
        case .float(let d): return LuaFormat.jsonNumber(d)
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .object(_, let t): return "<\(t)>"
        }
    }
}

enum Builtin: Hashable {
    case virtualHost, component, include, runScript
    case ipairs, pairs, next, tostring, tonumber, type, error, select, assert
    case rawget, rawset, rawlen, rawequal, pcall, setmetatable, getmetatable, unpack
    case ipairsIterator, pairsIterator
    case tableInsert, tableConcat, tableRemove, tableUnpack
    case stringRep, stringLower, stringUpper, stringLen, stringSub, stringFormat, stringByte, stringChar
    case mathFloor, mathCeil, mathMax, mathMin, mathAbs, mathTointeger, mathType
    case fileContents, fileLine, fileLines, credential
    case noop
    /// A Lua or Prosody function whose result depends on the host (os.getenv, io.open, require...).
    case opaque(String)
}

final class LuaFunction {
    enum Kind {
        case closure(FunctionBody, Scope, env: FileEnv, name: String?)
        case builtin(Builtin)
        /// The function `VirtualHost "x"` returns (accepts an options table).
        case hostOptions(String)
        /// The function `Component "x"` returns (accepts a module name or options table).
        case componentModule(String)
        /// The function `Component "x" "mod"` returns (accepts an options table).
        case componentOptions(String)
        /// A stateful iterator over values (Prosody 13 `opt:values()`).
        case sequence(SequenceState)
        /// Prosody 13 `opt:append` / `opt:values` of an option proxy (section, option).
        case proxyAppend(String, String)
        case proxyValues(String, String)
    }
    let kind: Kind
    let location: SourceLocation?
    init(_ kind: Kind, location: SourceLocation? = nil) {
        self.kind = kind
        self.location = location
    }
}

final class SequenceState {
    let values: [LuaValue]
    var position = 0
    init(_ values: [LuaValue]) { self.values = values }
}

enum LuaValue {
    case `nil`
    case bool(Bool)
    case int(Int64)
    case float(Double)
    case string(String)
    case table(LuaTable)
    case function(LuaFunction)
    /// A standard library or Prosody global table (`os`, `string`, `prosody`, `_G`...).
    case namespace(String)
    /// Not statically known.
    case dynamic(String)
    /// Prosody 13: a table option read back by name (section, option) is an option proxy.
    case proxy(String, String)

    var isNil: Bool { if case .nil = self { return true } else { return false } }
    var isDynamic: Bool { if case .dynamic = self { return true } else { return false } }

    /// Lua truthiness; nil for dynamic values.
    var truthy: Bool? {
        switch self {
        case .nil: return false
        case .bool(let b): return b
        case .dynamic: return nil
        default: return true
        }
    }

    var typeName: String {
        switch self {
        case .nil: return "nil"
        case .bool: return "boolean"
        case .int, .float: return "number"
        case .string: return "string"
        case .table, .namespace, .proxy: return "table"
        case .function: return "function"
        case .dynamic: return "dynamic"
        }
    }

    var key: LuaKey? {
        switch self {
        case .int(let i): return .int(i)
        case .float(let d):
            if let i = LuaFormat.exactInt(d) { return .int(i) }
            if d.isNaN { return nil }
            return .float(d)
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .table(let t): return .object(ObjectIdentifier(t), "table")
        case .function(let f): return .object(ObjectIdentifier(f), "function")
        case .nil, .namespace, .dynamic, .proxy: return nil
        }
    }
}

enum LuaFormat {
    static func exactInt(_ d: Double) -> Int64? {
        guard d.isFinite, d == d.rounded(), d >= -9.223372036854775808e18, d < 9.223372036854775808e18 else { return nil }
        return Int64(d)
    }

    /// Lua 5.4 `tostring` of a float (`%.14g`, `.0` appended when it looks like an integer).
    static func luaFloat(_ d: Double) -> String {
        if d.isNaN { return d.sign == .minus ? "-nan" : "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        var s = String(format: "%.14g", d)
        if !s.contains(where: { $0 == "." || $0 == "e" || $0 == "n" || $0 == "i" }) { s += ".0" }
        return s
    }

    /// The oracle's float encoding: the shortest `%.Ng` that reads back identically,
    /// `.0` appended when there is no fraction or exponent.
    static func jsonNumber(_ d: Double) -> String {
        if d.isNaN { return "<nan>" }
        if d.isInfinite { return d < 0 ? "<-inf>" : "<inf>" }
        var s = String(format: "%.17g", d)
        for precision in 1...17 {
            let t = String(format: "%.\(precision)g", d)
            if Double(t) == d { s = t; break }
        }
        if !s.contains(where: { $0 == "." || $0 == "e" || $0 == "E" || $0 == "n" }) { s += ".0" }
        return s
    }

    /// Lua's string -> number conversion (decimal, hex, exponent; surrounding spaces).
    static func number(from text: String) -> LuaValue? {
        let s = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if s.isEmpty { return nil }
        var body = Substring(s)
        var negative = false
        if body.first == "-" { negative = true; body = body.dropFirst() } else if body.first == "+" { body = body.dropFirst() }
        if body.lowercased().hasPrefix("0x") {
            let hex = body.dropFirst(2)
            if !hex.isEmpty, hex.allSatisfy(\.isHexDigit) {
                var v: UInt64 = 0
                for c in hex { v = v &* 16 &+ UInt64(c.hexDigitValue!) }
                let i = Int64(bitPattern: v)
                return .int(negative ? 0 &- i : i)
            }
            return nil
        }
        guard body.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "e" || $0 == "E" || $0 == "+" || $0 == "-") }),
              body.first?.isNumber == true || body.first == "." else { return nil }
        if body.allSatisfy(\.isNumber), let i = Int64(body) { return .int(negative ? -i : i) }
        if let d = Double(body) { return .float(negative ? -d : d) }
        return nil
    }
}
