/// Lua 5.x pattern matching (`string.match`), used for `context.room.regex` claims:
/// Jitsi interprets the room claim as a Lua pattern, not a PCRE.
public enum LuaPattern {
    public struct MalformedPattern: Error, Sendable, Equatable {
        public var message: String
    }

    /// `string.match(subject, pattern)`: the first capture, or the whole match when the pattern has
    /// no captures; nil when it does not match.
    public static func match(_ subject: String, _ pattern: String) throws(MalformedPattern) -> String? {
        var m = Matcher(s: Array(subject.utf8), p: Array(pattern.utf8))
        var p = 0
        let anchored = m.p.first == UInt8(ascii: "^")
        if anchored { p = 1 }
        var start = 0
        repeat {
            m.level = 0
            m.steps = 0
            if let end = try m.doMatch(start, p) {
                if m.level == 0 { return String(decoding: m.s[start..<end], as: UTF8.self) }
                let (cs, len) = m.capture[0]
                if len == Matcher.unfinished { throw MalformedPattern(message: "unfinished capture") }
                if len == Matcher.positionCapture { return String(cs + 1) }
                return String(decoding: m.s[cs..<cs + len], as: UTF8.self)
            }
            start += 1
        } while start <= m.s.count && !anchored
        return nil
    }

    struct Matcher {
        static let unfinished = -1
        static let positionCapture = -2
        let s: [UInt8]
        let p: [UInt8]
        var level = 0
        var capture: [(Int, Int)] = Array(repeating: (0, 0), count: 32)
        var steps = 0

        init(s: [UInt8], p: [UInt8]) { self.s = s; self.p = p }

        func classEnd(_ pi: Int) throws(MalformedPattern) -> Int {
            var i = pi
            let c = p[i]; i += 1
            if c == UInt8(ascii: "%") {
                guard i < p.count else { throw MalformedPattern(message: "malformed pattern (ends with '%')") }
                return i + 1
            }
            if c == UInt8(ascii: "[") {
                if i < p.count, p[i] == UInt8(ascii: "^") { i += 1 }
                repeat {
                    guard i < p.count else { throw MalformedPattern(message: "malformed pattern (missing ']')") }
                    let cc = p[i]; i += 1
                    if cc == UInt8(ascii: "%") {
                        guard i < p.count else { throw MalformedPattern(message: "malformed pattern (missing ']')") }
                        i += 1
                    }
                } while i >= p.count || p[i] != UInt8(ascii: "]")
                return i + 1
            }
            return i
        }

        static func singleClass(_ c: UInt8, _ cl: UInt8) -> Bool {
            let lower = cl | 0x20
            let res: Bool
            let isAlpha = (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
            let isDigit = c >= 48 && c <= 57
            switch lower {
            case UInt8(ascii: "a"): res = isAlpha
            case UInt8(ascii: "c"): res = c < 32 || c == 127
            case UInt8(ascii: "d"): res = isDigit
            case UInt8(ascii: "g"): res = c > 32 && c < 127
            case UInt8(ascii: "l"): res = c >= 97 && c <= 122
            case UInt8(ascii: "p"): res = c > 32 && c < 127 && !isAlpha && !isDigit
            case UInt8(ascii: "s"): res = c == 32 || (c >= 9 && c <= 13)
            case UInt8(ascii: "u"): res = c >= 65 && c <= 90
            case UInt8(ascii: "w"): res = isAlpha || isDigit
            case UInt8(ascii: "x"): res = isDigit || (c >= 97 && c <= 102) || (c >= 65 && c <= 70)
            default: return cl == c
            }
            let isUpper = cl >= 65 && cl <= 90
            return isUpper ? !res : res
        }

        func matchBracket(_ c: UInt8, _ start: Int, _ end: Int) -> Bool {
            // p[start] == '[', p[end] == ']'
            var i = start + 1
            var negate = false
            if p[i] == UInt8(ascii: "^") { negate = true; i += 1 }
            while i < end {
                if p[i] == UInt8(ascii: "%"), i + 1 < end {
                    i += 1
                    if Matcher.singleClass(c, p[i]) { return !negate }
                    i += 1
                } else if i + 2 < end, p[i + 1] == UInt8(ascii: "-") {
                    if p[i] <= c && c <= p[i + 2] { return !negate }
                    i += 3
                } else {
                    if p[i] == c { return !negate }
                    i += 1
                }
            }
            return negate
        }

        func singleMatch(_ si: Int, _ pi: Int, _ ep: Int) -> Bool {
            guard si < s.count else { return false }
            let c = s[si]
            switch p[pi] {
            case UInt8(ascii: "."): return true
            case UInt8(ascii: "%"): return Matcher.singleClass(c, p[pi + 1])
            case UInt8(ascii: "["): return matchBracket(c, pi, ep - 1)
            default: return p[pi] == c
            }
        }

        mutating func doMatch(_ si0: Int, _ pi0: Int) throws(MalformedPattern) -> Int? {
            steps += 1
            if steps > 200_000 { throw MalformedPattern(message: "pattern too complex") }
            var si = si0
            var pi = pi0
            while true {
                if pi == p.count { return si }
                switch p[pi] {
                case UInt8(ascii: "("):
                    if pi + 1 < p.count, p[pi + 1] == UInt8(ascii: ")") {
                        return try startCapture(si, pi + 2, Matcher.positionCapture)
                    }
                    return try startCapture(si, pi + 1, Matcher.unfinished)
                case UInt8(ascii: ")"):
                    return try endCapture(si, pi + 1)
                case UInt8(ascii: "$") where pi + 1 == p.count:
                    return si == s.count ? si : nil
                case UInt8(ascii: "%") where pi + 1 < p.count && p[pi + 1] == UInt8(ascii: "b"):
                    guard pi + 3 < p.count else { throw MalformedPattern(message: "missing arguments to '%b'") }
                    guard si < s.count, s[si] == p[pi + 2] else { return nil }
                    let open = p[pi + 2], close = p[pi + 3]
                    var depth = 1
                    var j = si + 1
                    var found: Int?
                    while j < s.count {
                        if s[j] == close { depth -= 1; if depth == 0 { found = j + 1; break } }
                        else if s[j] == open { depth += 1 }
                        j += 1
                    }
                    guard let next = found else { return nil }
                    si = next
                    pi += 4
                    continue
                case UInt8(ascii: "%") where pi + 1 < p.count && p[pi + 1] == UInt8(ascii: "f"):
                    pi += 2
                    guard pi < p.count, p[pi] == UInt8(ascii: "[") else { throw MalformedPattern(message: "missing '[' after '%f' in pattern") }
                    let ep = try classEnd(pi)
                    let prev: UInt8 = si == 0 ? 0 : s[si - 1]
                    let cur: UInt8 = si < s.count ? s[si] : 0
                    if !matchBracket(prev, pi, ep - 1) && matchBracket(cur, pi, ep - 1) { pi = ep; continue }
                    return nil
                case UInt8(ascii: "%") where pi + 1 < p.count && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(p[pi + 1]):
                    let l = Int(p[pi + 1] - UInt8(ascii: "1"))
                    guard l >= 0, l < level, capture[l].1 != Matcher.unfinished else { throw MalformedPattern(message: "invalid capture index") }
                    let (cs, len) = capture[l]
                    guard len >= 0, si + len <= s.count, Array(s[cs..<cs + len]) == Array(s[si..<si + len]) else { return nil }
                    si += len
                    pi += 2
                    continue
                default:
                    break
                }
                let ep = try classEnd(pi)
                let epc: UInt8? = ep < p.count ? p[ep] : nil
                if !singleMatch(si, pi, ep) {
                    if epc == UInt8(ascii: "*") || epc == UInt8(ascii: "?") || epc == UInt8(ascii: "-") {
                        pi = ep + 1
                        continue
                    }
                    return nil
                }
                switch epc {
                case UInt8(ascii: "?"):
                    if let r = try doMatch(si + 1, ep + 1) { return r }
                    pi = ep + 1
                    continue
                case UInt8(ascii: "+"):
                    return try maxExpand(si + 1, pi, ep)
                case UInt8(ascii: "*"):
                    return try maxExpand(si, pi, ep)
                case UInt8(ascii: "-"):
                    return try minExpand(si, pi, ep)
                default:
                    si += 1
                    pi = ep
                }
            }
        }

        mutating func maxExpand(_ si: Int, _ pi: Int, _ ep: Int) throws(MalformedPattern) -> Int? {
            var i = 0
            while singleMatch(si + i, pi, ep) { i += 1 }
            while i >= 0 {
                if let r = try doMatch(si + i, ep + 1) { return r }
                i -= 1
            }
            return nil
        }

        mutating func minExpand(_ si0: Int, _ pi: Int, _ ep: Int) throws(MalformedPattern) -> Int? {
            var si = si0
            while true {
                if let r = try doMatch(si, ep + 1) { return r }
                if singleMatch(si, pi, ep) { si += 1 } else { return nil }
            }
        }

        mutating func startCapture(_ si: Int, _ pi: Int, _ what: Int) throws(MalformedPattern) -> Int? {
            guard level < 32 else { throw MalformedPattern(message: "too many captures") }
            capture[level] = (si, what)
            level += 1
            let r = try doMatch(si, pi)
            if r == nil { level -= 1 }
            return r
        }

        mutating func endCapture(_ si: Int, _ pi: Int) throws(MalformedPattern) -> Int? {
            var l = -1
            var i = level - 1
            while i >= 0 { if capture[i].1 == Matcher.unfinished { l = i; break }; i -= 1 }
            guard l >= 0 else { throw MalformedPattern(message: "invalid pattern capture") }
            capture[l].1 = si - capture[l].0
            let r = try doMatch(si, pi)
            if r == nil { capture[l].1 = Matcher.unfinished }
            return r
        }
    }
}
