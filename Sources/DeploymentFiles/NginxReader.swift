import Foundation

/// One nginx directive (`proxy_pass http://x;`) or block (`location /a { ... }`).
public struct NginxDirective: Sendable, Hashable {
    public var name: String
    public var arguments: [String]
    public var line: Int
    /// nil for a simple directive; the children for a block.
    public var block: [NginxDirective]?
}

/// A `location` block with what matters for proxying to Prosody.
public struct NginxLocation: Sendable, Hashable {
    /// `=`, `~`, `~*`, `^~` or "" for a prefix location.
    public var modifier: String
    public var path: String
    public var line: Int
    /// `server_name`s of the enclosing server block (empty outside any server).
    public var serverNames: [String]
    public var proxyPass: LocatedValue?
    public var rewrites: [LocatedValue]
    public var sets: [LocatedValue]
    public var includes: [LocatedValue]

    public var isBOSH: Bool { path.contains("http-bind") }
    public var isWebSocket: Bool { path.contains("xmpp-websocket") }

    /// True when `proxy_pass` rebuilds the URI with variables and does not carry the
    /// client's query string (`$args`, `$is_args`, `$query_string`, `$request_uri`): nginx
    /// then sends no `?token=` upstream. A variable-free `proxy_pass`, or one with variables
    /// but no URI part (`http://$upstream`), forwards the query string by itself.
    public var proxyPassDropsQuery: Bool {
        guard let target = proxyPass?.value, target.contains("$") else { return false }
        let keeps = ["$args", "$is_args", "$query_string", "$request_uri", "${args}", "${query_string}", "${request_uri}"]
        if keeps.contains(where: { target.contains($0) }) { return false }
        return NginxLocation.hasURIPart(target)
    }

    /// `http://host:port/path` has a URI part; `http://$backend` does not.
    static func hasURIPart(_ target: String) -> Bool {
        var rest = Substring(target)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        return rest.contains("/")
    }
}

/// A `server { }` block.
public struct NginxServer: Sendable, Hashable {
    public var serverNames: [String]
    public var line: Int
    public var listens: [String]
}

public struct NginxDocument: Sendable {
    public var directives: [NginxDirective] = []
    public var servers: [NginxServer] = []
    /// Every location, nested ones included, in file order.
    public var locations: [NginxLocation] = []
    /// Top-level and server-level `include`s.
    public var includes: [LocatedValue] = []
    /// Lines where a `}` had no matching `{` or a block was not closed.
    public var unbalanced: [Int] = []

    public var boshLocations: [NginxLocation] { locations.filter(\.isBOSH) }
    public var websocketLocations: [NginxLocation] { locations.filter(\.isWebSocket) }
}

/// A tolerant reader for nginx site files: directives, blocks, quotes, comments and
/// line numbers; files without `server {}` and full nginx.conf files. Never fails.
public enum NginxReader {
    public static func read(_ text: String) -> NginxDocument {
        var lexer = Lexer(Array(text.unicodeScalars))
        let tokens = lexer.tokens()
        var index = 0
        var document = NginxDocument()
        document.directives = parseBlock(tokens, &index, depth: 0, unbalanced: &document.unbalanced)
        collect(document.directives, serverNames: [], into: &document, inServer: false)
        return document
    }

    enum TokenKind { case word, open, close, semicolon }
    struct Token { var kind: TokenKind; var text: String; var line: Int }

    struct Lexer {
        let s: [Unicode.Scalar]
        var i = 0
        var line = 1
        init(_ s: [Unicode.Scalar]) { self.s = s }
        mutating func advance() { if s[i] == "\n" { line += 1 }; i += 1 }

        mutating func tokens() -> [Token] {
            var out: [Token] = []
            while i < s.count {
                let c = s[i]
                let startLine = line
                if c == " " || c == "\t" || c == "\r" || c == "\n" || c == "\u{FEFF}" { advance(); continue }
                if c == "#" { while i < s.count, s[i] != "\n" { advance() }; continue }
                if c == "{" { out.append(Token(kind: .open, text: "{", line: startLine)); advance(); continue }
                if c == "}" { out.append(Token(kind: .close, text: "}", line: startLine)); advance(); continue }
                if c == ";" { out.append(Token(kind: .semicolon, text: ";", line: startLine)); advance(); continue }
                var word = ""
                if c == "\"" || c == "'" {
                    advance()
                    while i < s.count, s[i] != c {
                        if s[i] == "\\", i + 1 < s.count { advance() }
                        word.unicodeScalars.append(s[i]); advance()
                    }
                    if i < s.count { advance() }
                    out.append(Token(kind: .word, text: word, line: startLine))
                    continue
                }
                while i < s.count {
                    let d = s[i]
                    if d == " " || d == "\t" || d == "\r" || d == "\n" || d == ";" { break }
                    // `{` and `}` end a word unless part of `${var}` (as in nginx).
                    if d == "{" && !word.hasSuffix("$") { break }
                    if d == "}" && !openVariable(word) { break }
                    if d == "\\", i + 1 < s.count { word.unicodeScalars.append(d); advance() }
                    word.unicodeScalars.append(s[i]); advance()
                }
                out.append(Token(kind: .word, text: word, line: startLine))
            }
            return out
        }

        func openVariable(_ word: String) -> Bool {
            guard let open = word.range(of: "${", options: .backwards) else { return false }
            return !word[open.upperBound...].contains("}")
        }
    }

    static func parseBlock(_ tokens: [Token], _ index: inout Int, depth: Int, unbalanced: inout [Int]) -> [NginxDirective] {
        var result: [NginxDirective] = []
        var words: [Token] = []
        while index < tokens.count {
            let t = tokens[index]
            index += 1
            switch t.kind {
            case .word:
                words.append(t)
            case .semicolon:
                if let first = words.first {
                    result.append(NginxDirective(name: first.text, arguments: words.dropFirst().map(\.text),
                                                 line: first.line, block: nil))
                }
                words = []
            case .open:
                let first = words.first
                let children = depth > 64 ? [] : parseBlock(tokens, &index, depth: depth + 1, unbalanced: &unbalanced)
                result.append(NginxDirective(name: first?.text ?? "", arguments: words.dropFirst().map(\.text),
                                             line: first?.line ?? t.line, block: children))
                words = []
            case .close:
                if let first = words.first {   // a last directive without `;`
                    result.append(NginxDirective(name: first.text, arguments: words.dropFirst().map(\.text),
                                                 line: first.line, block: nil))
                }
                if depth == 0 { unbalanced.append(t.line); words = []; continue }
                return result
            }
        }
        if let first = words.first {
            result.append(NginxDirective(name: first.text, arguments: words.dropFirst().map(\.text), line: first.line, block: nil))
        }
        if depth > 0, let last = tokens.last { unbalanced.append(last.line) }
        return result
    }

    static func collect(_ directives: [NginxDirective], serverNames: [String], into document: inout NginxDocument,
                        inServer: Bool) {
        for directive in directives {
            switch directive.name {
            case "server" where directive.block != nil:
                let block = directive.block ?? []
                let names = block.filter { $0.name == "server_name" }.flatMap(\.arguments)
                let listens = block.filter { $0.name == "listen" }.map { $0.arguments.joined(separator: " ") }
                document.servers.append(NginxServer(serverNames: names, line: directive.line, listens: listens))
                collect(block, serverNames: names, into: &document, inServer: true)
            case "location" where directive.block != nil:
                var modifier = ""
                var path = directive.arguments.first ?? ""
                if directive.arguments.count >= 2, ["=", "~", "~*", "^~"].contains(directive.arguments[0]) {
                    modifier = directive.arguments[0]
                    path = directive.arguments[1]
                }
                let block = directive.block ?? []
                func located(_ name: String) -> [LocatedValue] {
                    block.filter { $0.name == name }.map { LocatedValue($0.arguments.joined(separator: " "), line: $0.line) }
                }
                document.locations.append(NginxLocation(
                    modifier: modifier, path: path, line: directive.line, serverNames: serverNames,
                    proxyPass: located("proxy_pass").last, rewrites: located("rewrite"), sets: located("set"),
                    includes: located("include")))
                collect(block.filter { $0.name == "location" }, serverNames: serverNames, into: &document, inServer: inServer)
            case "include":
                document.includes.append(LocatedValue(directive.arguments.joined(separator: " "), line: directive.line))
            default:
                if let block = directive.block { collect(block, serverNames: serverNames, into: &document, inServer: inServer) }
            }
        }
    }
}
