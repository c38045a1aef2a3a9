import Foundation

/// A value assigned in config.js, evaluated as far as string literals go.
public struct ConfigJSValue: Sendable, Hashable {
    /// String literals concatenated; identifiers (`subdomain`, `subdir`) left out
    /// (the nginx SSI default for them is ""). Non-string values keep their source text.
    public var text: String
    /// The expression as written (trimmed, on one line).
    public var raw: String
    /// Identifiers the expression concatenates (`subdomain`, `subdir`...), unresolved.
    public var unresolved: [String]
    /// True when the value is one string literal or literals joined by `+`.
    public var isLiteral: Bool { unresolved.isEmpty && isString }
    /// True when the expression is made of strings (and identifiers) only.
    public var isString: Bool
    public var line: Int

    /// Looks like a template placeholder (`__X__`, `<x>`, `{{ x }}`, `${X}`, `<!--# echo -->`).
    public var looksLikePlaceholder: Bool {
        text.contains("__") || text.contains("<") || text.contains("{{") || text.contains("${") || text.contains("%")
            || text.isEmpty
    }
}

/// What `ConfigJSReader` keeps: assignments to `config.<path>` in order; later ones win.
public struct ConfigJSDocument: Sendable {
    /// Every assignment (object-literal keys under `config`, `config.a.b = ...` statements), in order.
    public var assignments: [(path: String, value: ConfigJSValue)] = []
    /// The last value for a dotted path below `config` (`hosts.domain`, `bosh`).
    public subscript(path: String) -> ConfigJSValue? { assignments.last { $0.path == path }?.value }
    /// True when the reader saw `config` assigned or extended at all.
    public var sawConfig = false
}

/// A tolerant reader for the `hosts`, `bosh`, `websocket` and token parts of a
/// Jitsi Meet `config.js`. Never fails; keeps line numbers.
public enum ConfigJSReader {
    /// The paths the diagnosis uses.
    public static let interestingPaths = ["hosts.domain", "hosts.anonymousdomain", "hosts.authdomain", "hosts.muc",
                                          "hosts.focus", "bosh", "websocket", "tokenAuthUrl", "focusUserJid"]

    public static func read(_ text: String) -> ConfigJSDocument {
        var lexer = Lexer(Array(text.unicodeScalars))
        let tokens = lexer.tokens()
        var walker = Walker(tokens: tokens)
        walker.walk()
        return walker.document
    }

    enum Kind: Equatable { case identifier, string, number, punct, template }

    struct Token {
        var kind: Kind
        var text: String
        var line: Int
        /// First token on its line.
        var startsLine: Bool
    }

    struct Lexer {
        let s: [Unicode.Scalar]
        var i = 0
        var line = 1
        var lastLine = 0

        init(_ s: [Unicode.Scalar]) { self.s = s }

        func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }
        mutating func advance() { if s[i] == "\n" { line += 1 }; i += 1 }

        static func isIdentStart(_ c: Unicode.Scalar) -> Bool {
            c == "_" || c == "$" || (c.value >= 65 && c.value <= 90) || (c.value >= 97 && c.value <= 122) || c.value > 127
        }
        static func isIdentPart(_ c: Unicode.Scalar) -> Bool { isIdentStart(c) || (c.value >= 48 && c.value <= 57) }

        mutating func tokens() -> [Token] {
            var out: [Token] = []
            func emit(_ kind: Kind, _ text: String, _ tokenLine: Int) {
                out.append(Token(kind: kind, text: text, line: tokenLine, startsLine: tokenLine != lastLine))
                lastLine = tokenLine
            }
            while let c = peek() {
                let tokenLine = line
                if c == " " || c == "\t" || c == "\r" || c == "\n" || c == "\u{FEFF}" || c == "\u{A0}" { advance(); continue }
                if c == "/" && peek(1) == "/" { while let d = peek(), d != "\n" { advance() }; continue }
                if c == "/" && peek(1) == "*" {
                    advance(); advance()
                    while peek() != nil && !(peek() == "*" && peek(1) == "/") { advance() }
                    if peek() != nil { advance(); advance() }
                    continue
                }
                if c == "'" || c == "\"" {
                    advance()
                    var text = ""
                    while let d = peek(), d != "\n" {
                        if d == c { advance(); break }
                        if d == "\\", let next = peek(1) {
                            advance(); advance()
                            if next != "\n" { text.unicodeScalars.append(next == "n" ? "\n" : next) }
                            continue
                        }
                        text.unicodeScalars.append(d); advance()
                    }
                    emit(.string, text, tokenLine)
                    continue
                }
                if c == "`" {
                    advance()
                    var text = ""
                    while let d = peek() {
                        if d == "`" { advance(); break }
                        if d == "\\", peek(1) != nil { advance() }
                        text.unicodeScalars.append(s[i]); advance()
                    }
                    emit(.template, text, tokenLine)
                    continue
                }
                if Lexer.isIdentStart(c) {
                    var text = ""
                    while let d = peek(), Lexer.isIdentPart(d) { text.unicodeScalars.append(d); advance() }
                    emit(.identifier, text, tokenLine)
                    continue
                }
                if c.value >= 48 && c.value <= 57 {
                    var text = ""
                    while let d = peek(), Lexer.isIdentPart(d) || d == "." { text.unicodeScalars.append(d); advance() }
                    emit(.number, text, tokenLine)
                    continue
                }
                if c == "." && peek(1) == "." && peek(2) == "." {
                    advance(); advance(); advance()
                    emit(.punct, "...", tokenLine)
                    continue
                }
                if c == "=" && peek(1) == "=" {
                    advance(); advance()
                    if peek() == "=" { advance() }
                    emit(.punct, "==", tokenLine)
                    continue
                }
                advance()
                emit(.punct, String(c), tokenLine)
            }
            return out
        }
    }

    struct Walker {
        let tokens: [Token]
        var i = 0
        var document = ConfigJSDocument()
        /// One frame per open `{`: the config path it stands for, or nil when untracked.
        var frames: [[String]?] = []

        init(tokens: [Token]) { self.tokens = tokens }

        func tok(_ k: Int = 0) -> Token? { i + k < tokens.count ? tokens[i + k] : nil }
        func isPunct(_ k: Int, _ p: String) -> Bool { tok(k).map { $0.kind == .punct && $0.text == p } ?? false }

        mutating func walk() {
            var steps = 0
            while i < tokens.count {
                steps += 1
                if steps > tokens.count * 4 + 16 { break }
                let t = tokens[i]
                if t.kind == .punct && t.text == "{" { frames.append(nil); i += 1; continue }
                if t.kind == .punct && t.text == "}" { if !frames.isEmpty { frames.removeLast() }; i += 1; continue }
                // Inside a tracked object literal: `key: value`.
                if let path = frames.last ?? nil, (t.kind == .identifier || t.kind == .string), isPunct(1, ":") {
                    i += 2
                    assign(path + [t.text])
                    continue
                }
                // `var config = {`, `config = {`, `config.a.b = value`.
                if t.kind == .identifier && t.text == "config" && (i == 0 || !isPunct(-1, ".")) {
                    var j = 1
                    var path: [String] = []
                    while isPunct(j, "."), let name = tok(j + 1), name.kind == .identifier {
                        path.append(name.text)
                        j += 2
                    }
                    // config['x'] is not used for hosts; skip it.
                    if isPunct(j, "=") {
                        i += j + 1
                        document.sawConfig = true
                        assign(path)
                        continue
                    }
                }
                i += 1
            }
        }

        /// At the start of a value for `path`: an object literal opens a tracked frame,
        /// anything else is read as an expression.
        mutating func assign(_ path: [String]) {
            if isPunct(0, "{") {
                document.sawConfig = true
                frames.append(path)
                i += 1
                return
            }
            guard let first = tok() else { return }
            let value = readExpression(line: first.line)
            if !path.isEmpty { document.assignments.append((path.joined(separator: "."), value)) }
        }

        /// Tokens up to `,`/`;`/`}` at depth 0, or a line break not continued by `+`.
        mutating func readExpression(line: Int) -> ConfigJSValue {
            var depth = 0
            var parts: [Token] = []
            var last: Token?
            while let t = tok() {
                if depth == 0 {
                    if t.kind == .punct && (t.text == "," || t.text == ";" || t.text == "}" || t.text == ")" || t.text == "]") { break }
                    if let last, t.startsLine, !(last.kind == .punct && ["+", "=", ":", "(", "?"].contains(last.text)),
                       !(t.kind == .punct && ["+", ".", "?", ":"].contains(t.text)) { break }
                }
                if t.kind == .punct && (t.text == "(" || t.text == "[" || t.text == "{") { depth += 1 }
                if t.kind == .punct && (t.text == ")" || t.text == "]" || t.text == "}") { depth -= 1 }
                parts.append(t)
                last = t
                i += 1
            }
            return ConfigJSReader.evaluate(parts, line: line)
        }
    }

    static func evaluate(_ parts: [Token], line: Int) -> ConfigJSValue {
        let raw = parts.map { $0.kind == .string ? "'\($0.text)'" : $0.kind == .template ? "`\($0.text)`" : $0.text }
            .joined(separator: " ")
        // string (+ string|identifier)*
        var text = ""
        var unresolved: [String] = []
        var isString = !parts.isEmpty
        var expectOperand = true
        for part in parts {
            if expectOperand {
                switch part.kind {
                case .string, .template: text += part.text
                case .identifier: unresolved.append(part.text)
                default: isString = false
                }
            } else if !(part.kind == .punct && part.text == "+") {
                isString = false
            }
            if !isString { break }
            expectOperand.toggle()
        }
        if isString && !parts.contains(where: { $0.kind == .string || $0.kind == .template }) { isString = false }
        // nginx SSI inside a string (`'conference.<!--# echo var="subdomain" default="" -->meet.example.com'`):
        // nginx replaces it (with "" on the root site); keep the variable name as unresolved.
        while isString, let open = text.range(of: "<!--#"), let close = text.range(of: "-->", range: open.upperBound..<text.endIndex) {
            let directive = text[open.upperBound..<close.lowerBound]
            var name = "ssi"
            if let v = directive.range(of: "var=\"") ?? directive.range(of: "var='"),
               let end = directive[v.upperBound...].firstIndex(where: { $0 == "\"" || $0 == "'" }) {
                name = String(directive[v.upperBound..<end])
            }
            unresolved.append(name)
            text.removeSubrange(open.lowerBound..<close.upperBound)
        }
        if !isString {
            text = parts.count == 1 ? parts[0].text : raw
            unresolved = []
        }
        return ConfigJSValue(text: text, raw: raw, unresolved: unresolved, isString: isString, line: line)
    }
}
