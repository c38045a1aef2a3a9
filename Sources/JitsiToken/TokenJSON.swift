/// A JSON value as lua-cjson would decode it, with object keys kept in the order written
/// (for display). Duplicate keys: the last one wins, as in cjson.
public indirect enum TokenJSON: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([TokenJSON])
    case object([(key: String, value: TokenJSON)])

    public static func == (lhs: TokenJSON, rhs: TokenJSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(b)
        case .number(let n): hasher.combine(n)
        case .string(let s): hasher.combine(s)
        case .array(let a): hasher.combine(a)
        case .object(let o):
            for (k, v) in o { hasher.combine(k); hasher.combine(v) }
        }
    }

    public subscript(key: String) -> TokenJSON? {
        if case .object(let members) = self { return members.last(where: { $0.key == key })?.value }
        return nil
    }

    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    public var numberValue: Double? { if case .number(let n) = self { return n }; return nil }
    public var boolValue: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var isObject: Bool { if case .object = self { return true }; return false }

    /// The Lua type name cjson's value would have (`table` for objects and arrays).
    public var luaTypeName: String {
        switch self {
        case .null: return "userdata"   // cjson.null
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array, .object: return "table"
        }
    }

    /// Lua truthiness of the field value (`nil` absent is handled by callers).
    public var isTrue: Bool { self == .bool(true) || self == .string("true") }

    /// A short rendering for messages.
    public var display: String {
        switch self {
        case .string(let s): return "\"\(s)\""
        default: return TokenJSON.serialize(self, pretty: false)
        }
    }
}

public enum TokenJSONParseError: Error, Sendable, Equatable {
    case invalid(String)
}

extension TokenJSON {
    /// Parses RFC 8259 JSON (what cjson accepts, minus its NaN/Infinity extensions).
    /// Nesting is limited to 1000 levels, like cjson's default.
    public static func parse(_ bytes: [UInt8]) throws(TokenJSONParseError) -> TokenJSON {
        var parser = Parser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw .invalid("trailing characters at offset \(parser.index)") }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func parseValue(depth: Int) throws(TokenJSONParseError) -> TokenJSON {
            guard depth < 1000 else { throw .invalid("nesting too deep") }
            guard index < bytes.count else { throw .invalid("unexpected end of input") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try parseObject(depth: depth)
            case UInt8(ascii: "["): return try parseArray(depth: depth)
            case UInt8(ascii: "\""): return .string(try parseString())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            default: return .number(try parseNumber())
            }
        }

        mutating func literal(_ word: String) throws(TokenJSONParseError) {
            let w = Array(word.utf8)
            guard index + w.count <= bytes.count, Array(bytes[index..<index + w.count]) == w else {
                throw .invalid("unexpected character at offset \(index)")
            }
            index += w.count
        }

        mutating func parseObject(depth: Int) throws(TokenJSONParseError) -> TokenJSON {
            index += 1
            var members: [(key: String, value: TokenJSON)] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw .invalid("expected a key at offset \(index)") }
                let key = try parseString()
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw .invalid("expected ':' at offset \(index)") }
                index += 1
                skipWhitespace()
                let value = try parseValue(depth: depth + 1)
                if let existing = members.firstIndex(where: { $0.key == key }) {
                    members.remove(at: existing)
                }
                members.append((key, value))
                skipWhitespace()
                guard index < bytes.count else { throw .invalid("unexpected end of input") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                throw .invalid("expected ',' or '}' at offset \(index)")
            }
        }

        mutating func parseArray(depth: Int) throws(TokenJSONParseError) -> TokenJSON {
            index += 1
            var items: [TokenJSON] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            while true {
                skipWhitespace()
                items.append(try parseValue(depth: depth + 1))
                skipWhitespace()
                guard index < bytes.count else { throw .invalid("unexpected end of input") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                throw .invalid("expected ',' or ']' at offset \(index)")
            }
        }

        mutating func parseString() throws(TokenJSONParseError) -> String {
            index += 1
            var out: [UInt8] = []
            while index < bytes.count {
                let c = bytes[index]
                if c == UInt8(ascii: "\"") { index += 1; return String(decoding: out, as: UTF8.self) }
                if c < 0x20 { throw .invalid("control character in string at offset \(index)") }
                if c == UInt8(ascii: "\\") {
                    index += 1
                    guard index < bytes.count else { break }
                    let e = bytes[index]
                    index += 1
                    switch e {
                    case UInt8(ascii: "\""): out.append(0x22)
                    case UInt8(ascii: "\\"): out.append(0x5C)
                    case UInt8(ascii: "/"): out.append(0x2F)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        var code = try hex4()
                        if (0xD800..<0xDC00).contains(code), index + 1 < bytes.count,
                           bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                            index += 2
                            let low = try hex4()
                            if (0xDC00..<0xE000).contains(low) {
                                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                            }
                        }
                        let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                        out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    default: throw .invalid("invalid escape at offset \(index - 1)")
                    }
                    continue
                }
                out.append(c)
                index += 1
            }
            throw .invalid("unterminated string")
        }

        mutating func hex4() throws(TokenJSONParseError) -> UInt32 {
            guard index + 4 <= bytes.count else { throw .invalid("truncated \\u escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = bytes[index]
                let d: UInt32
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
                default: throw .invalid("invalid \\u escape at offset \(index)")
                }
                v = v * 16 + d
                index += 1
            }
            return v
        }

        mutating func parseNumber() throws(TokenJSONParseError) -> Double {
            let start = index
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            func digits(_ p: inout Parser) -> Int {
                let s = p.index
                while p.index < p.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(p.bytes[p.index]) { p.index += 1 }
                return p.index - s
            }
            let intStart = index
            guard digits(&self) > 0 else { throw .invalid("unexpected character at offset \(start)") }
            if bytes[intStart] == UInt8(ascii: "0"), index - intStart > 1 { throw .invalid("leading zero at offset \(start)") }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard digits(&self) > 0 else { throw .invalid("invalid number at offset \(start)") }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard digits(&self) > 0 else { throw .invalid("invalid number at offset \(start)") }
            }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            guard let value = Double(text) else { throw .invalid("invalid number at offset \(start)") }
            return value
        }
    }
}

extension TokenJSON {
    /// Serializes with keys in stored order; `pretty` indents by two spaces.
    public static func serialize(_ value: TokenJSON, pretty: Bool, indent: Int = 0) -> String {
        let pad = pretty ? String(repeating: "  ", count: indent + 1) : ""
        let closePad = pretty ? String(repeating: "  ", count: indent) : ""
        let nl = pretty ? "\n" : ""
        let sep = pretty ? ": " : ":"
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return formatNumber(n)
        case .string(let s): return quote(s)
        case .array(let items):
            if items.isEmpty { return "[]" }
            return "[" + nl + items.map { pad + serialize($0, pretty: pretty, indent: indent + 1) }.joined(separator: "," + nl) + nl + closePad + "]"
        case .object(let members):
            if members.isEmpty { return "{}" }
            return "{" + nl + members.map { pad + quote($0.key) + sep + serialize($0.value, pretty: pretty, indent: indent + 1) }
                .joined(separator: "," + nl) + nl + closePad + "}"
        }
    }

    /// Integral values print without a fraction (as Lua 5.1/5.2's `tostring` does).
    public static func formatNumber(_ n: Double) -> String {
        if n.isNaN || n.isInfinite { return "null" }
        if n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
        return String(n)
    }

    public static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
