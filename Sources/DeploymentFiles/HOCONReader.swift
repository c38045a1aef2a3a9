/// A value in a HOCON file, as far as the diagnosis needs it.
public enum HOCONValue: Sendable, Hashable {
    /// A quoted or unquoted scalar (`true`, `24 hours`, `"meet.jitsi"`), quotes removed.
    case string(String, quoted: Bool)
    /// An array; elements are scalars (nested objects/arrays are kept as their raw text).
    case array([String])
    /// `${path}` or `${?path}`: recorded, never resolved.
    case substitution(String)

    /// The scalar text (arrays joined with ", ", substitutions as `${...}`).
    public var text: String {
        switch self {
        case .string(let s, _): s
        case .array(let items): items.joined(separator: ", ")
        case .substitution(let path): "${\(path)}"
        }
    }

    /// HOCON booleans: true/false/yes/no/on/off.
    public var boolValue: Bool? {
        guard case .string(let s, _) = self else { return nil }
        switch s.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: return nil
        }
    }
}

/// One `a.b.c = value` after flattening nested objects.
public struct HOCONEntry: Sendable, Hashable {
    public var key: String
    public var value: HOCONValue
    public var line: Int
}

/// What `HOCONReader` keeps of a file: flattened keys (last assignment wins),
/// object openings, includes and a list of things it skipped.
public struct HOCONDocument: Sendable {
    /// Every assignment in file order.
    public var entries: [HOCONEntry] = []
    /// Dotted path of every object opened with `{`, with its first line.
    public var objects: [String: Int] = [:]
    /// `include "file"` targets (not followed).
    public var includes: [LocatedValue] = []
    /// Places the reader did not understand (it skipped to the next line).
    public var skipped: [LocatedValue] = []

    /// The last value assigned to a dotted key.
    public subscript(key: String) -> HOCONEntry? { entries.last { $0.key == key } }
    /// True when `key` was opened as an object or any key lies below it.
    public func hasObject(_ key: String) -> Bool {
        objects[key] != nil || entries.contains { $0.key.hasPrefix(key + ".") }
    }
}

/// A tolerant reader for the HOCON subset found in jicofo.conf files: never fails,
/// keeps line numbers, records includes and substitutions without resolving them.
public enum HOCONReader {
    public static func read(_ text: String) -> HOCONDocument {
        var parser = Parser(Array(text.unicodeScalars))
        parser.parseFile()
        return parser.document
    }

    private struct Parser {
        let s: [Unicode.Scalar]
        var i = 0
        var line = 1
        var document = HOCONDocument()
        /// Path segments of the objects we are in; one array per open brace.
        var stack: [[String]] = []

        init(_ s: [Unicode.Scalar]) { self.s = s }

        var atEnd: Bool { i >= s.count }
        func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }

        mutating func advance() {
            if s[i] == "\n" { line += 1 }
            i += 1
        }

        var currentPath: [String] { stack.flatMap { $0 } }

        mutating func skipToEndOfLine() {
            while let c = peek(), c != "\n" { advance() }
        }

        /// Spaces, newlines, commas, stray semicolons and comments.
        mutating func skipTrivia(newlines: Bool = true) {
            while let c = peek() {
                if c == " " || c == "\t" || c == "\r" || c == "\u{FEFF}" || (newlines && (c == "\n" || c == "," || c == ";")) {
                    advance()
                } else if c == "#" || (c == "/" && peek(1) == "/") {
                    skipToEndOfLine()
                } else {
                    break
                }
            }
        }

        mutating func parseFile() {
            var guardCount = 0
            while !atEnd {
                guardCount += 1
                if guardCount > s.count * 4 + 16 { break }
                skipTrivia()
                guard let c = peek() else { break }
                if c == "}" {
                    advance()
                    if !stack.isEmpty { stack.removeLast() }
                    continue
                }
                if c == "{" {   // root braces, or a stray block
                    advance()
                    stack.append([])
                    continue
                }
                parseMember()
            }
        }

        static let keyStops: Set<Unicode.Scalar> = ["=", ":", "{", "}", "[", "]", ",", "#", "\"", "\n", " ", "\t", "\r", ";", "+"]

        mutating func parseMember() {
            let startLine = line
            let startIndex = i
            // Key: a sequence of quoted or unquoted segments joined by dots.
            var key = ""
            while let c = peek() {
                if c == "\"" {
                    key += readQuoted()
                } else if Parser.keyStops.contains(c) || (c == "/" && peek(1) == "/") {
                    break
                } else {
                    key.unicodeScalars.append(c)
                    advance()
                }
            }
            if key == "include" {
                skipTrivia(newlines: false)
                if let target = readIncludeTarget() {
                    document.includes.append(LocatedValue(target, line: startLine))
                    return
                }
            }
            skipTrivia(newlines: false)
            guard !key.isEmpty else {
                // Something we cannot read as a key: skip the line.
                if i == startIndex { advance() }
                recordSkip(startLine: startLine)
                return
            }
            let segments = splitKey(key)
            var sawSeparator = false
            if peek() == "+" && peek(1) == "=" { advance(); advance(); sawSeparator = true }
            else if peek() == "=" || peek() == ":" { advance(); sawSeparator = true }
            skipTrivia(newlines: false)
            guard let c = peek() else {
                return
            }
            if c == "{" {
                advance()
                let path = (currentPath + segments).joined(separator: ".")
                if document.objects[path] == nil { document.objects[path] = startLine }
                stack.append(segments)
                return
            }
            if !sawSeparator && (c == "\n" || c == "}") {
                recordSkip(startLine: startLine)
                return
            }
            let value = readValue()
            let path = (currentPath + segments).joined(separator: ".")
            document.entries.append(HOCONEntry(key: path, value: value, line: startLine))
        }

        mutating func recordSkip(startLine: Int) {
            var text = ""
            var j = i
            while j < s.count, s[j] != "\n" { text.unicodeScalars.append(s[j]); j += 1 }
            if !text.trimmingSpaces.isEmpty { document.skipped.append(LocatedValue(text.trimmingSpaces, line: startLine)) }
            skipToEndOfLine()
        }

        func splitKey(_ key: String) -> [String] {
            key.split(separator: ".", omittingEmptySubsequences: true).map(String.init)
        }

        mutating func readIncludeTarget() -> String? {
            guard let c = peek() else { return nil }
            if c == "\"" { return readQuoted() }
            // required("x"), file("x"), url("x"), classpath("x")
            var word = ""
            var j = i
            while j < s.count, s[j] != "\n" { word.unicodeScalars.append(s[j]); j += 1 }
            if let open = word.firstIndex(of: "\""), let close = word[word.index(after: open)...].firstIndex(of: "\"") {
                let target = String(word[word.index(after: open)..<close])
                skipToEndOfLine()
                return target
            }
            return nil
        }

        /// A double-quoted string (or a triple-quoted one); unterminated ends at the line end.
        mutating func readQuoted() -> String {
            if peek() == "\"" && peek(1) == "\"" && peek(2) == "\"" {
                advance(); advance(); advance()
                var out = ""
                while !atEnd {
                    if peek() == "\"" && peek(1) == "\"" && peek(2) == "\"" { advance(); advance(); advance(); break }
                    out.unicodeScalars.append(s[i]); advance()
                }
                return out
            }
            advance()
            var out = ""
            while let c = peek(), c != "\n" {
                if c == "\"" { advance(); break }
                if c == "\\", let next = peek(1), next != "\n" {
                    advance()
                    switch next {
                    case "n": out += "\n"
                    case "t": out += "\t"
                    default: out.unicodeScalars.append(next)
                    }
                    advance()
                    continue
                }
                out.unicodeScalars.append(c)
                advance()
            }
            return out
        }

        mutating func readSubstitution() -> String {
            advance(); advance()   // ${
            var out = ""
            while let c = peek(), c != "\n" {
                advance()
                if c == "}" { break }
                out.unicodeScalars.append(c)
            }
            return out
        }

        mutating func readValue() -> HOCONValue {
            guard let c = peek() else { return .string("", quoted: false) }
            if c == "[" { return .array(readArray()) }
            if c == "$" && peek(1) == "{" {
                let path = readSubstitution()
                skipRestOfValue()
                return .substitution(path)
            }
            if c == "\"" {
                let text = readQuoted()
                // Value concatenation ("a" "b") is rare in jicofo files: keep the first part.
                skipRestOfValue()
                return .string(text, quoted: true)
            }
            var out = ""
            while let c = peek(), c != "\n", c != ",", c != "}", c != "]", c != "#", c != ";" {
                if c == "/" && peek(1) == "/" { break }
                out.unicodeScalars.append(c)
                advance()
            }
            return .string(out.trimmingSpaces, quoted: false)
        }

        /// After a quoted value: anything up to the end of the value is ignored.
        mutating func skipRestOfValue() {
            while let c = peek(), c != "\n", c != ",", c != "}", c != "]" {
                if c == "#" || (c == "/" && peek(1) == "/") { skipToEndOfLine(); return }
                advance()
            }
        }

        mutating func readArray() -> [String] {
            advance()   // [
            var items: [String] = []
            while !atEnd {
                skipTrivia()
                guard let c = peek() else { break }
                if c == "]" { advance(); break }
                if c == "}" { break }   // unterminated array: let the object close
                if c == "\"" { items.append(readQuoted()); skipRestOfArrayItem(); continue }
                if c == "{" || c == "[" { items.append(readBalanced()); continue }
                if c == "$" && peek(1) == "{" { items.append("${" + readSubstitution() + "}"); continue }
                var out = ""
                while let c = peek(), c != "\n", c != ",", c != "]", c != "}", c != "#" {
                    if c == "/" && peek(1) == "/" { break }
                    out.unicodeScalars.append(c); advance()
                }
                let trimmed = out.trimmingSpaces
                if !trimmed.isEmpty { items.append(trimmed) }
            }
            return items
        }

        mutating func skipRestOfArrayItem() {
            while let c = peek(), c != "\n", c != ",", c != "]", c != "}" {
                if c == "#" || (c == "/" && peek(1) == "/") { skipToEndOfLine(); return }
                advance()
            }
        }

        /// The raw text of a nested object or array inside an array.
        mutating func readBalanced() -> String {
            var depth = 0
            var out = ""
            while let c = peek() {
                if c == "{" || c == "[" { depth += 1 }
                if c == "}" || c == "]" { depth -= 1 }
                if c == "\"" { out += "\"" + readQuoted() + "\""; continue }
                out.unicodeScalars.append(c)
                advance()
                if depth <= 0 { break }
            }
            return out.trimmingSpaces
        }
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self).unicodeScalars
        while let f = scalars.first, f == " " || f == "\t" || f == "\r" || f == "\n" || f == "\u{FEFF}" { scalars.removeFirst() }
        while let l = scalars.last, l == " " || l == "\t" || l == "\r" || l == "\n" { scalars.removeLast() }
        return String(scalars)
    }
}
