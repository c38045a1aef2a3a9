#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Kinds of Lua tokens.
public enum TokenKind: Sendable, Hashable {
    // Reserved words.
    case kwAnd, kwBreak, kwDo, kwElse, kwElseif, kwEnd, kwFalse, kwFor, kwFunction, kwGoto, kwIf, kwIn
    case kwLocal, kwNil, kwNot, kwOr, kwRepeat, kwReturn, kwThen, kwTrue, kwUntil, kwWhile
    // Multi-byte symbols.
    case floorDiv, concat, dots, eq, ge, le, ne, shl, shr, dbColon
    /// A single-byte token (`+`, `{`, `=`, or any other byte Lua does not know).
    case char(UInt8)
    case name, string, number, eof
    /// A lexical error; the token carries the message.
    case error

    /// How luac names the token kind in `'X' expected` messages.
    var expectedText: String {
        switch self {
        case .char(let c):
            return (c >= 0x20 && c < 0x7F) ? "'\(Character(Unicode.Scalar(c)))'" : "'<\\\(c)>'"
        case .name: return "<name>"
        case .string: return "<string>"
        case .number: return "<number>"
        case .eof: return "<eof>"
        case .error: return "<error>"
        default: return "'\(Token.fixedText(self) ?? "?")'"
        }
    }
}

/// One token with its exact source range.
public struct Token: Sendable {
    public var kind: TokenKind
    public var range: SourceRange
    /// Offset of the first byte of the line the token ends on (error ranges for multi-line tokens).
    var lastLineStart: Int
    /// True when no other token precedes it on its line.
    public var isFirstOnLine: Bool
    /// Name text (names only).
    public var name: String?
    /// String value (strings only).
    public var stringValue: [UInt8]?
    /// Long bracket level for long strings, nil for quoted strings.
    public var longLevel: Int?
    /// Quote byte for short strings.
    var quote: UInt8 = 0
    /// Numeric value (numbers only).
    public var number: LuaNumber?
    /// For `.error` tokens: the full luac-style message and the line luac reports.
    public var errorMessage: String?
    var errorLine: Int = 0

    static func fixedText(_ kind: TokenKind) -> String? {
        switch kind {
        case .kwAnd: return "and"
        case .kwBreak: return "break"
        case .kwDo: return "do"
        case .kwElse: return "else"
        case .kwElseif: return "elseif"
        case .kwEnd: return "end"
        case .kwFalse: return "false"
        case .kwFor: return "for"
        case .kwFunction: return "function"
        case .kwGoto: return "goto"
        case .kwIf: return "if"
        case .kwIn: return "in"
        case .kwLocal: return "local"
        case .kwNil: return "nil"
        case .kwNot: return "not"
        case .kwOr: return "or"
        case .kwRepeat: return "repeat"
        case .kwReturn: return "return"
        case .kwThen: return "then"
        case .kwTrue: return "true"
        case .kwUntil: return "until"
        case .kwWhile: return "while"
        case .floorDiv: return "//"
        case .concat: return ".."
        case .dots: return "..."
        case .eq: return "=="
        case .ge: return ">="
        case .le: return "<="
        case .ne: return "~="
        case .shl: return "<<"
        case .shr: return ">>"
        case .dbColon: return "::"
        default: return nil
        }
    }
}

/// Appends `bytes` to `s` as text (invalid UTF-8 replaced).
@inline(__always)
func bytesText(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

@inline(__always) func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
@inline(__always) func isAlpha(_ c: UInt8) -> Bool {
    (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == 0x5F
}
@inline(__always) func isAlnum(_ c: UInt8) -> Bool { isAlpha(c) || isDigit(c) }
@inline(__always) func isXDigit(_ c: UInt8) -> Bool {
    isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46)
}
@inline(__always) func hexValue(_ c: UInt8) -> Int {
    isDigit(c) ? Int(c - 0x30) : Int((c | 0x20) - 0x61 + 10)
}
/// Lua's `lisspace`: space, \t, \n, \v, \f, \r.
@inline(__always) func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }

private let keywords: [String: TokenKind] = [
    "and": .kwAnd, "break": .kwBreak, "do": .kwDo, "else": .kwElse, "elseif": .kwElseif,
    "end": .kwEnd, "false": .kwFalse, "for": .kwFor, "function": .kwFunction, "goto": .kwGoto,
    "if": .kwIf, "in": .kwIn, "local": .kwLocal, "nil": .kwNil, "not": .kwNot, "or": .kwOr,
    "repeat": .kwRepeat, "return": .kwReturn, "then": .kwThen, "true": .kwTrue,
    "until": .kwUntil, "while": .kwWhile,
]

/// A byte-level Lua 5.4 lexer. It never fails: lexical errors come back as `.error`
/// tokens (worded like luac) and scanning continues after the bad stretch.
public struct Lexer: Sendable {
    let src: [UInt8]
    var pos: Int
    var line: Int = 1
    var lineStart: Int = 0
    /// Line on which the previous token ended (0 before the first token).
    var prevEndLine: Int = 0
    /// Number of tokens produced (used to bound recovery work).
    var tokenCount: Int = 0

    public init(_ source: [UInt8], startOffset: Int = 0) {
        src = source
        pos = startOffset
    }

    @inline(__always) var current: Int { pos < src.count ? Int(src[pos]) : -1 }
    @inline(__always) func peekByte(_ k: Int) -> Int { pos + k < src.count ? Int(src[pos + k]) : -1 }

    var position: SourcePosition { SourcePosition(offset: pos, line: line, column: pos - lineStart + 1) }

    @inline(__always) func isNewline(_ c: Int) -> Bool { c == 0x0A || c == 0x0D }

    /// Skips one line break (`\n`, `\r`, `\n\r` or `\r\n`) and counts it.
    mutating func newline() {
        let old = src[pos]
        pos += 1
        if pos < src.count, isNewline(Int(src[pos])), src[pos] != old { pos += 1 }
        line += 1
        lineStart = pos
    }

    /// The next token.
    public mutating func next() -> Token {
        tokenCount += 1
        var tok = scan()
        tok.isFirstOnLine = tok.range.start.line > prevEndLine
        prevEndLine = tok.range.end.line
        return tok
    }

    private func make(_ kind: TokenKind, _ start: SourcePosition) -> Token {
        Token(kind: kind, range: SourceRange(start: start, end: position), lastLineStart: lineStart,
              isFirstOnLine: false)
    }

    private func makeError(_ message: String, _ start: SourcePosition, line: Int) -> Token {
        var t = make(.error, start)
        t.errorMessage = message
        t.errorLine = line
        return t
    }

    private mutating func scan() -> Token {
        while true {
            let c = current
            switch c {
            case -1:
                return make(.eof, position)
            case 0x0A, 0x0D:
                newline()
            case 0x20, 0x09, 0x0B, 0x0C:
                pos += 1
            case 0x2D: // '-'
                if peekByte(1) != 0x2D {
                    let s = position; pos += 1; return make(.char(0x2D), s)
                }
                let commentStart = position
                pos += 2
                if current == 0x5B { // '['
                    let save = pos
                    let sep = skipSeparator()
                    if sep >= 2 {
                        if let err = readLongString(level: sep - 2, start: commentStart, isComment: true) {
                            return err
                        }
                        continue
                    }
                    pos = save
                }
                while pos < src.count, src[pos] != 0x0A, src[pos] != 0x0D { pos += 1 }
            case 0x5B: // '['
                let s = position
                let sep = skipSeparator()
                if sep >= 2 {
                    if let err = readLongString(level: sep - 2, start: s, isComment: false) { return err }
                    return lastLong!
                } else if sep == 0 {
                    let text = bytesText(src[s.offset..<pos])
                    return makeError("invalid long string delimiter near '\(text)'", s, line: line)
                }
                return make(.char(0x5B), s)
            case 0x3D: // '='
                let s = position; pos += 1
                if current == 0x3D { pos += 1; return make(.eq, s) }
                return make(.char(0x3D), s)
            case 0x3C: // '<'
                let s = position; pos += 1
                if current == 0x3D { pos += 1; return make(.le, s) }
                if current == 0x3C { pos += 1; return make(.shl, s) }
                return make(.char(0x3C), s)
            case 0x3E: // '>'
                let s = position; pos += 1
                if current == 0x3D { pos += 1; return make(.ge, s) }
                if current == 0x3E { pos += 1; return make(.shr, s) }
                return make(.char(0x3E), s)
            case 0x2F: // '/'
                let s = position; pos += 1
                if current == 0x2F { pos += 1; return make(.floorDiv, s) }
                return make(.char(0x2F), s)
            case 0x7E: // '~'
                let s = position; pos += 1
                if current == 0x3D { pos += 1; return make(.ne, s) }
                return make(.char(0x7E), s)
            case 0x3A: // ':'
                let s = position; pos += 1
                if current == 0x3A { pos += 1; return make(.dbColon, s) }
                return make(.char(0x3A), s)
            case 0x22, 0x27:
                return readString(quote: UInt8(c))
            case 0x2E: // '.'
                let s = position
                if peekByte(1) == 0x2E {
                    if peekByte(2) == 0x2E { pos += 3; return make(.dots, s) }
                    pos += 2; return make(.concat, s)
                }
                if peekByte(1) >= 0, isDigit(UInt8(peekByte(1))) { return readNumeral() }
                pos += 1
                return make(.char(0x2E), s)
            case 0x30...0x39:
                return readNumeral()
            default:
                let s = position
                if isAlpha(UInt8(c)) {
                    var e = pos + 1
                    while e < src.count, isAlnum(src[e]) { e += 1 }
                    let n = e - pos
                    if n >= 2 && n <= 8, src[pos] >= 0x61, let kw = keywords[bytesText(src[pos..<e])] {
                        pos = e
                        return make(kw, s)
                    }
                    let text = bytesText(src[pos..<e])
                    pos = e
                    var t = make(.name, s)
                    t.name = text
                    return t
                }
                pos += 1
                return make(.char(UInt8(c)), s)
            }
        }
    }

    /// At '[': reads `[=*` and returns level+2 if followed by '[', 1 for a bare '[',
    /// 0 for a malformed `[=...` (luac's skip_sep). Leaves `pos` after the last bracket/equals read.
    private mutating func skipSeparator() -> Int {
        let open = src[pos]
        pos += 1
        var count = 0
        while current == 0x3D { pos += 1; count += 1 }
        if current == Int(open) { pos += 1; return count + 2 }
        return count == 0 ? 1 : 0
    }

    private var lastLong: Token?

    /// Reads a long string/comment body after its opening bracket. Returns an error token
    /// if it is unfinished; otherwise stores the string token in `lastLong`.
    private mutating func readLongString(level: Int, start: SourcePosition, isComment: Bool) -> Token? {
        let startLine = start.line
        if pos < src.count, isNewline(Int(src[pos])) { newline() }
        var value: [UInt8] = []
        while true {
            guard pos < src.count else {
                let what = isComment ? "comment" : "string"
                return makeError("unfinished long \(what) (starting at line \(startLine)) near <eof>",
                                 start, line: line)
            }
            let c = src[pos]
            if c == 0x5D { // ']'
                var e = pos + 1
                var n = 0
                while e < src.count, src[e] == 0x3D { e += 1; n += 1 }
                if n == level, e < src.count, src[e] == 0x5D {
                    pos = e + 1
                    break
                }
                if !isComment { value.append(contentsOf: src[pos..<e]) }
                pos = e
            } else if c == 0x0A || c == 0x0D {
                if !isComment { value.append(0x0A) }
                newline()
            } else {
                if isComment {
                    pos += 1
                } else {
                    // Copy a run of ordinary bytes at once.
                    var e = pos + 1
                    while e < src.count, src[e] != 0x5D, src[e] != 0x0A, src[e] != 0x0D { e += 1 }
                    value.append(contentsOf: src[pos..<e])
                    pos = e
                }
            }
        }
        if !isComment {
            var t = make(.string, start)
            t.stringValue = value
            t.longLevel = level
            lastLong = t
        }
        return nil
    }

    /// Near-text of a string in progress, as luac's buffer shows it.
    private func nearString(_ quote: UInt8, _ value: [UInt8], _ extra: [UInt8]) -> String {
        var b: [UInt8] = [0x27, quote]
        b.append(contentsOf: value)
        b.append(contentsOf: extra)
        b.append(0x27)
        return String(decoding: b, as: UTF8.self)
    }

    /// Skips the rest of a broken short string (to its closing quote or the end of line).
    private mutating func skipRestOfString(_ quote: UInt8) {
        while pos < src.count {
            let c = src[pos]
            if c == quote { pos += 1; return }
            if c == 0x0A || c == 0x0D { return }
            if c == 0x5C, pos + 1 < src.count, src[pos + 1] == quote || src[pos + 1] == 0x5C { pos += 2; continue }
            pos += 1
        }
    }

    private mutating func readString(quote: UInt8) -> Token {
        let s = position
        pos += 1
        var value: [UInt8] = []
        while true {
            guard pos < src.count else {
                return makeError("unfinished string near <eof>", s, line: line)
            }
            let c = src[pos]
            if c == quote { pos += 1; break }
            switch c {
            case 0x0A, 0x0D:
                return makeError("unfinished string near \(nearString(quote, value, []))", s, line: line)
            case 0x5C: // backslash
                pos += 1
                guard pos < src.count else { continue } // unfinished string near <eof> next round
                let e = src[pos]
                func escError(_ msg: String, _ extra: [UInt8]) -> Token {
                    let t = makeError("\(msg) near \(nearString(quote, value, extra))", s, line: line)
                    return t
                }
                switch e {
                case 0x61: value.append(0x07); pos += 1
                case 0x62: value.append(0x08); pos += 1
                case 0x66: value.append(0x0C); pos += 1
                case 0x6E: value.append(0x0A); pos += 1
                case 0x72: value.append(0x0D); pos += 1
                case 0x74: value.append(0x09); pos += 1
                case 0x76: value.append(0x0B); pos += 1
                case 0x5C, 0x22, 0x27: value.append(e); pos += 1
                case 0x0A, 0x0D:
                    newline()
                    value.append(0x0A)
                case 0x78: // \xXX
                    pos += 1
                    var extra: [UInt8] = [0x5C, 0x78]
                    var r = 0
                    for _ in 0..<2 {
                        guard pos < src.count, isXDigit(src[pos]) else {
                            if pos < src.count { extra.append(src[pos]); pos += 1 }
                            let t = escError("hexadecimal digit expected", extra)
                            skipRestOfString(quote)
                            return t
                        }
                        r = r * 16 + hexValue(src[pos])
                        extra.append(src[pos])
                        pos += 1
                    }
                    value.append(UInt8(r))
                case 0x7A: // \z
                    pos += 1
                    while pos < src.count, isSpace(src[pos]) {
                        if isNewline(Int(src[pos])) { newline() } else { pos += 1 }
                    }
                case 0x75: // \u{XXX}
                    pos += 1
                    var extra: [UInt8] = [0x5C, 0x75]
                    func fail(_ msg: String) -> Token {
                        if pos < src.count { extra.append(src[pos]); pos += 1 }
                        let t = escError(msg, extra)
                        skipRestOfString(quote)
                        return t
                    }
                    guard pos < src.count, src[pos] == 0x7B else { return fail("missing '{'") }
                    extra.append(0x7B); pos += 1
                    guard pos < src.count, isXDigit(src[pos]) else { return fail("hexadecimal digit expected") }
                    var r = UInt32(hexValue(src[pos]))
                    extra.append(src[pos]); pos += 1
                    while pos < src.count, isXDigit(src[pos]) {
                        guard r <= (0x7FFF_FFFF >> 4) else { return fail("UTF-8 value too large") }
                        r = (r << 4) + UInt32(hexValue(src[pos]))
                        extra.append(src[pos]); pos += 1
                    }
                    guard pos < src.count, src[pos] == 0x7D else { return fail("missing '}'") }
                    pos += 1
                    appendUTF8(&value, r)
                default:
                    if isDigit(e) {
                        var r = 0
                        var extra: [UInt8] = [0x5C]
                        var i = 0
                        while i < 3, pos < src.count, isDigit(src[pos]) {
                            r = r * 10 + Int(src[pos] - 0x30)
                            extra.append(src[pos]); pos += 1; i += 1
                        }
                        if r > 255 {
                            if pos < src.count { extra.append(src[pos]); pos += 1 }
                            let t = escError("decimal escape too large", extra)
                            skipRestOfString(quote)
                            return t
                        }
                        value.append(UInt8(r))
                    } else {
                        var extra: [UInt8] = [0x5C]
                        extra.append(e); pos += 1
                        let t = escError("invalid escape sequence", extra)
                        skipRestOfString(quote)
                        return t
                    }
                }
            default:
                // Copy a run of ordinary bytes.
                var e = pos + 1
                while e < src.count {
                    let d = src[e]
                    if d == quote || d == 0x5C || d == 0x0A || d == 0x0D { break }
                    e += 1
                }
                value.append(contentsOf: src[pos..<e])
                pos = e
            }
        }
        var t = make(.string, s)
        t.stringValue = value
        t.quote = quote
        return t
    }

    /// Lua 5.4's UTF-8 encoding of code points up to 2^31 (up to six bytes).
    private func appendUTF8(_ out: inout [UInt8], _ value: UInt32) {
        var x = value
        if x < 0x80 { out.append(UInt8(x)); return }
        var tail: [UInt8] = []
        var mfb: UInt32 = 0x3F
        repeat {
            tail.append(UInt8(0x80 | (x & 0x3F)))
            x >>= 6
            mfb >>= 1
        } while x > mfb
        out.append(UInt8(truncatingIfNeeded: (~mfb << 1) | x))
        out.append(contentsOf: tail.reversed())
    }

    private mutating func readNumeral() -> Token {
        let s = position
        let begin = pos
        var expo: (UInt8, UInt8) = (0x45, 0x65) // E e
        let first = src[pos]
        if first == 0x2E { pos += 1 } // leading '.' of '.5'
        let firstDigit = src[pos]
        pos += 1
        if firstDigit == 0x30, pos < src.count, src[pos] == 0x78 || src[pos] == 0x58 {
            pos += 1
            expo = (0x50, 0x70)
        }
        while pos < src.count {
            let c = src[pos]
            if c == expo.0 || c == expo.1 {
                pos += 1
                if pos < src.count, src[pos] == 0x2D || src[pos] == 0x2B { pos += 1 }
            } else if isXDigit(c) || c == 0x2E {
                pos += 1
            } else {
                break
            }
        }
        if pos < src.count, isAlpha(src[pos]) { pos += 1 }
        let text = src[begin..<pos]
        guard let value = Lexer.convertNumber(text) else {
            return makeError("malformed number near '\(bytesText(text))'", s, line: line)
        }
        var t = make(.number, s)
        t.number = value
        return t
    }

    /// Converts a numeral the way `luaO_str2num` does (no sign, no spaces).
    static func convertNumber(_ text: ArraySlice<UInt8>) -> LuaNumber? {
        let b = text
        let o = text.startIndex
        // Integer first.
        if b.count >= 2, b[o] == 0x30, b[o + 1] == 0x78 || b[o + 1] == 0x58 {
            var a: UInt64 = 0
            var i = o + 2
            var empty = true
            while i < b.endIndex, isXDigit(b[i]) {
                a = a &* 16 &+ UInt64(hexValue(b[i]))
                empty = false
                i += 1
            }
            if !empty && i == b.endIndex { return .integer(Int64(bitPattern: a)) }
        } else {
            var a: UInt64 = 0
            var i = o
            var ok = true
            let maxBy10 = UInt64(Int64.max) / 10
            let maxLastD = UInt64(Int64.max) % 10
            while i < b.endIndex, isDigit(b[i]) {
                let d = UInt64(b[i] - 0x30)
                if a >= maxBy10 && (a > maxBy10 || d > maxLastD) { ok = false; break }
                a = a * 10 + d
                i += 1
            }
            if ok && i > o && i == b.endIndex { return .integer(Int64(a)) }
        }
        // Float via the C library, as Lua does (strtod handles decimal and hex forms).
        for c in b where c == 0x6E || c == 0x4E { _ = c; return nil } // reject 'inf'/'nan'
        var cstr = b.map { CChar(bitPattern: $0) }
        cstr.append(0)
        return cstr.withUnsafeBufferPointer { buf -> LuaNumber? in
            var end: UnsafeMutablePointer<CChar>? = nil
            let base = UnsafeMutablePointer(mutating: buf.baseAddress!)
            let v = strtod(base, &end)
            guard let e = end, e != base else { return nil }
            var p = e
            while p.pointee != 0, isSpace(UInt8(bitPattern: p.pointee)) { p += 1 }
            return p.pointee == 0 ? .float(v) : nil
        }
    }
}

extension Token {
    /// The token as luac shows it after "near" (`'x'`, `'"str"'`, `<eof>`, `'<\239>'`).
    func nearText(in src: [UInt8]) -> String {
        switch kind {
        case .eof: return "<eof>"
        case .name, .number:
            return "'\(bytesText(src[range.start.offset..<range.end.offset]))'"
        case .string:
            var b: [UInt8] = [0x27]
            if let level = longLevel {
                b.append(0x5B); b.append(contentsOf: repeatElement(0x3D, count: level)); b.append(0x5B)
                b.append(contentsOf: stringValue ?? [])
                b.append(0x5D); b.append(contentsOf: repeatElement(0x3D, count: level)); b.append(0x5D)
            } else {
                b.append(quote)
                b.append(contentsOf: stringValue ?? [])
                b.append(quote)
            }
            b.append(0x27)
            return String(decoding: b, as: UTF8.self)
        default:
            return kind.expectedText
        }
    }
}
