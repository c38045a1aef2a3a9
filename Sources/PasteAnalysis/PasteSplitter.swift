import Foundation

/// What a line of a pasted blob is.
public enum PasteLineKind: String, Sendable {
    case config, log, prosodyctl, prose, blank
}

/// A run of lines of one kind (1-based, inclusive).
public struct PasteSegment: Sendable, Equatable {
    public var kind: PasteLineKind
    public var lines: ClosedRange<Int>
}

/// A forum paste split into its parts. The config and log texts keep every line
/// of the paste at its place (other lines blanked), so findings on them point at
/// the line of the paste itself.
public struct SplitPaste: Sendable {
    public var segments: [PasteSegment]
    public var configText: String
    public var logText: String
    /// The Prosody version the paste names (`prosodyctl about`, a start-up banner), if any.
    public var prosodyVersion: String?
    /// Closing braces the paste lost and `configText` puts back (see `PasteSplitter.closeLostBraces`).
    public var repairs: [PasteRepair] = []
    public var hasConfig: Bool { segments.contains { $0.kind == .config } }
    public var hasLog: Bool { segments.contains { $0.kind == .log } }
}

/// A change made to the pasted config text so that it reads as the config the server ran.
public struct PasteRepair: Sendable, Equatable {
    /// 1-based line of the paste that got the closing brace appended.
    public var line: Int
    /// The line that opened the table.
    public var openedAt: Int
    public var description: String
}

public enum PasteSplitter {
    public static func split(_ text: String) -> SplitPaste {
        let rawLines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Forum quoting ("> ") is removed but the columns stay put.
        let lines = rawLines.map { line -> String in
            var l = line
            while l.hasPrefix("> ") || l == ">" { l = "  " + l.dropFirst(2) }
            return l
        }
        var kinds = lines.map(classify)
        // Comments, braces and list items belong to the config around them; blank lines
        // and code fences to whatever surrounds them.
        var current: PasteLineKind = .prose
        for index in kinds.indices {
            switch kinds[index] {
            case .blank: continue
            case .config where isWeakConfig(lines[index]) && current != .config:
                // A lone `}` or `"item";` after prose is a wrapped config line only if config follows.
                let next = kinds[(index + 1)...].first { $0 != .blank }
                if next != .config && current != .config { kinds[index] = .prose }
            default: break
            }
            if kinds[index] != .blank { current = kinds[index] }
        }
        var segments: [PasteSegment] = []
        for (index, kind) in kinds.enumerated() where kind != .blank {
            let number = index + 1
            if let last = segments.last, last.kind == kind,
               kinds[(last.lines.upperBound)..<index].allSatisfy({ $0 == .blank }) {
                segments[segments.count - 1].lines = last.lines.lowerBound...number
            } else {
                segments.append(PasteSegment(kind: kind, lines: number...number))
            }
        }
        func keep(_ wanted: Set<PasteLineKind>) -> String {
            lines.enumerated().map { wanted.contains(kinds[$0.offset]) ? $0.element : "" }.joined(separator: "\n")
        }
        var configLines = lines.enumerated().map { kinds[$0.offset] == .config ? $0.element : "" }
        var repairs: [PasteRepair] = []
        if kinds.contains(.log), !lines.contains(where: { matches(configErrorPatterns, $0) }) {
            repairs = closeLostBraces(&configLines)
        }
        // `prosodyctl about` lines go to the log reader too: it knows version banners.
        return SplitPaste(segments: segments, configText: configLines.joined(separator: "\n"),
                          logText: keep([.log, .prosodyctl]), prosodyVersion: version(in: lines), repairs: repairs)
    }

    /// People trim what they paste ("I removed some names"), and a list loses its closing `}`
    /// with the lines around it. When the paste also has a log of the server running that config
    /// (and no config syntax error in it), an open table that meets a line that cannot be inside
    /// it is a paste artefact, not the config Prosody loaded: the brace is put back at the end of
    /// the table's last line, so every line keeps its number. A line cannot be inside the table
    /// when it starts a section (`VirtualHost`, `Component`, `Include`), or when it is a
    /// `name = value` line no deeper than the line that opened a table of plain list items
    /// (a module list). At the end of the pasted config every open table is closed the same way.
    static func closeLostBraces(_ lines: inout [String]) -> [PasteRepair] {
        struct Open { var line: Int; var indent: Int; var onlyItems: Bool; var lastLine: Int }
        var stack: [Open] = []
        var repairs: [PasteRepair] = []
        func close(_ open: Open) {
            lines[open.lastLine] += " }"
            repairs.append(PasteRepair(line: open.lastLine + 1, openedAt: open.line + 1,
                                       description: "the table opened on line \(open.line + 1) has no closing brace in the paste; "
                                           + "read as closed after line \(open.lastLine + 1)"))
        }
        for index in lines.indices {
            let line = lines[index]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("--") { continue }
            let indent = line.prefix { $0 == " " || $0 == "\t" }.count
            let section = matches(sectionPatterns, line)
            let assignment = matches(assignmentPatterns, line)
            while let top = stack.last,
                  section || (assignment && top.onlyItems && indent <= top.indent && top.lastLine != top.line) {
                close(top)
                stack.removeLast()
            }
            if !stack.isEmpty {
                stack[stack.count - 1].lastLine = index
                if !matches(itemPatterns, line) && !trimmed.hasPrefix("}") { stack[stack.count - 1].onlyItems = false }
            }
            for character in codeCharacters(of: line) {
                if character == "{" {
                    stack.append(Open(line: index, indent: indent, onlyItems: true, lastLine: index))
                } else if character == "}", !stack.isEmpty {
                    let closed = stack.removeLast()
                    if !stack.isEmpty { stack[stack.count - 1].lastLine = max(stack[stack.count - 1].lastLine, closed.lastLine) }
                }
            }
        }
        while let top = stack.popLast() { close(top) }
        return repairs.sorted { $0.line < $1.line }
    }

    /// The characters of a config line outside strings and comments.
    static func codeCharacters(of line: String) -> [Character] {
        var result: [Character] = []
        var quote: Character?
        var escaped = false
        var previous: Character?
        for character in line {
            if let q = quote {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == q { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "-" && previous == "-" {
                result.removeLast()
                break
            } else {
                result.append(character)
            }
            previous = character
        }
        return result
    }

    static func classify(_ line: String) -> PasteLineKind {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") { return .blank }
        if matches(logPatterns, line) { return .log }
        if matches(prosodyctlPatterns, trimmed) { return .prosodyctl }
        if matches(configPatterns, line) { return .config }
        return .prose
    }

    /// Lines that are config only in context.
    static func isWeakConfig(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.hasPrefix("--") || trimmed.hasPrefix("}") || trimmed.hasPrefix("\"") || trimmed.hasPrefix("'")
            || trimmed == "{" || trimmed.hasPrefix("end") || trimmed.hasPrefix("else")
    }

    static func version(in lines: [String]) -> String? {
        for line in lines {
            for pattern in versionPatterns {
                let range = NSRange(line.startIndex..., in: line)
                if let m = pattern.firstMatch(in: line, range: range), let r = Range(m.range(at: 1), in: line) {
                    return String(line[r])
                }
            }
        }
        return nil
    }

    private static func matches(_ patterns: [NSRegularExpression], _ line: String) -> Bool {
        let range = NSRange(line.startIndex..., in: line)
        return patterns.contains { $0.firstMatch(in: line, range: range) != nil }
    }

    private static func regexes(_ patterns: [String]) -> [NSRegularExpression] {
        patterns.map { try! NSRegularExpression(pattern: $0) }
    }

    static let logPatterns = regexes([
        #"^\s*(?:[A-Z][a-z]{2} [ 0-9]?[0-9] [0-9]{2}:[0-9]{2}:[0-9]{2}|[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2})"#,
        #"\t(?:debug|info|warn|error)\t"#,
        #"\bprosody\[[0-9]+\]:"#,
        #"^\S+\s+\|\s+\S"#,
        #"^\S+\s{2,}(?:debug|info|warn|error)\s"#,
        #"^(?:c2s|s2sin|s2sout|bosh|mod_\w+|general|startup|certmanager|portmanager|modulemanager|[a-z0-9.-]+:\w+)\S*\s+(?:debug|info|warn|error)\b"#,
    ])
    static let prosodyctlPatterns = regexes([
        #"^Prosody (?:[0-9]+\.[0-9]+|trunk|hg|nightly)"#,
        #"^# (?:Prosody directories|Lua environment|Network|Lua module versions|Lua module search paths|Operating system)"#,
        #"^(?:Data|Config|Source|Plugin) director(?:y|ies):"#,
        #"^(?:Lua version|LuaSocket|LuaSec|LuaExpat|Backend|Lua module search paths|Lua C module search paths|LuaRocks):"#,
        #"^(?:Checking config\.\.\.|Checking DNS|Checking certificates|Done\.|All checks passed|Problems found, see above)"#,
        #"^The following configuration files have been loaded:"#,
        #"^-\s+/\S+\.cfg\.lua$"#,
    ])
    static let configPatterns = regexes([
        #"^\s*(?:VirtualHost|Host|Component|Include|RunScript)\s*[\(\"'\[]"#,
        #"^\s*[A-Za-z_][A-Za-z0-9_]*\s*=\s*\S"#,
        #"^\s*[A-Za-z_][A-Za-z0-9_]*\s*=\s*$"#,
        #"^\s*--"#,
        #"^\s*[{}]\s*[,;]?\s*(?:--.*)?$"#,
        #"^\s*["'][^"']*["']\s*[,;]?\s*(?:--.*)?$"#,
        #"^\s*\{\s*["'][^"']*["']\s*,"#,
        #"^\s*(?:local|if|for|end|else|elseif|while|return)\b"#,
    ])
    static let sectionPatterns = regexes([#"^\s*(?:VirtualHost|Host|Component|Include)\s*[\(\"'\[]"#])
    static let assignmentPatterns = regexes([#"^\s*[A-Za-z_][A-Za-z0-9_]*\s*=[^=]"#])
    static let itemPatterns = regexes([#"^\s*["'][^"']*["']\s*[,;]?\s*(?:--.*)?$"#])
    /// A log or prosodyctl line saying the config itself does not load: then a lost brace is real.
    static let configErrorPatterns = regexes([#"(?i)expected \(to close|error loading config|couldn't load config|failed to load config|unexpected symbol near|syntax error"#])
    static let versionPatterns = regexes([
        #"(trunk nightly build [0-9]+)"#,
        #"^\s*Prosody ((?:[0-9]+\.[0-9]+(?:\.[0-9]+)?)|trunk|hg:[0-9a-f]+)"#,
        #"Prosody (?:version )?((?:0\.[0-9]+|1[0-9])(?:\.[0-9]+)?)\b"#,
    ])
}
