/// One `key=value` of a Java properties file (or a shell-style env file).
public struct PropertyEntry: Sendable, Hashable {
    public var key: String
    public var value: String
    public var line: Int
}

public struct PropertiesDocument: Sendable {
    public var entries: [PropertyEntry] = []
    /// The last value of a key (Java keeps the last one too).
    public subscript(key: String) -> PropertyEntry? { entries.last { $0.key == key } }
}

/// A tolerant reader for java `.properties`: `#`/`!` comments, `=`/`:`/space
/// separators, backslash continuations and escapes. Never fails.
public enum PropertiesReader {
    public static func read(_ text: String) -> PropertiesDocument {
        var document = PropertiesDocument()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var l = String(line)
            if l.hasSuffix("\r") { l.removeLast() }
            return l
        }
        var index = 0
        while index < lines.count {
            let startLine = index + 1
            var logical = lines[index].trimmingLeadingSpaces
            index += 1
            if logical.isEmpty || logical.hasPrefix("#") || logical.hasPrefix("!") { continue }
            while endsWithContinuation(logical), index < lines.count {
                logical.removeLast()
                logical += lines[index].trimmingLeadingSpaces
                index += 1
            }
            if endsWithContinuation(logical) { logical.removeLast() }
            if let entry = split(logical, line: startLine) { document.entries.append(entry) }
        }
        return document
    }

    static func endsWithContinuation(_ s: String) -> Bool {
        var count = 0
        for c in s.reversed() { if c == "\\" { count += 1 } else { break } }
        return count % 2 == 1
    }

    static func split(_ logical: String, line: Int) -> PropertyEntry? {
        var key = ""
        var rest = Substring(logical)
        var escaped = false
        while let c = rest.first {
            if escaped { key.append(unescape(c)); escaped = false; rest.removeFirst(); continue }
            if c == "\\" { escaped = true; rest.removeFirst(); continue }
            if c == "=" || c == ":" || c == " " || c == "\t" { break }
            key.append(c)
            rest.removeFirst()
        }
        // Separator: spaces, then at most one of = or :, then spaces.
        while let c = rest.first, c == " " || c == "\t" { rest.removeFirst() }
        if let c = rest.first, c == "=" || c == ":" { rest.removeFirst() }
        while let c = rest.first, c == " " || c == "\t" { rest.removeFirst() }
        guard !key.isEmpty else { return nil }
        var value = ""
        escaped = false
        var scalars = rest.unicodeScalars[...]
        while let c = scalars.first {
            scalars.removeFirst()
            if escaped {
                escaped = false
                if c == "u", scalars.count >= 4, let code = UInt32(String(String.UnicodeScalarView(scalars.prefix(4))), radix: 16),
                   let scalar = Unicode.Scalar(code) {
                    value.unicodeScalars.append(scalar)
                    scalars.removeFirst(4)
                } else {
                    value.append(unescape(Character(c)))
                }
                continue
            }
            if c == "\\" { escaped = true; continue }
            value.unicodeScalars.append(c)
        }
        return PropertyEntry(key: key, value: value.trimmingSpaces, line: line)
    }

    static func unescape(_ c: Character) -> Character {
        switch c {
        case "t": "\t"
        case "n": "\n"
        case "r": "\r"
        case "f": "\u{0C}"
        default: c
        }
    }
}

extension String {
    var trimmingLeadingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" || $0 == "\u{0C}" })
    }
}
