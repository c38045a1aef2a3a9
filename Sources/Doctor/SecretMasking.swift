import ProsodyConfig
import Foundation
import PCRE2

/// Masks secrets in any text shown to the user: config lines (`app_secret = "..."`),
/// JWTs, and SASL blobs. Every reporter and excerpt goes through this.
public enum SecretMasking {
    public static let mask = "********"

    /// Option names whose values are secrets (also as table keys: `sql = { password = ... }`).
    public static func isSecretName(_ name: String) -> Bool {
        var bytes = name
        if let ascii = bytes.withUTF8({ buffer -> Bool? in
            buffer.allSatisfy { $0 < 0x80 } ? isSecretASCIIName(buffer) : nil
        }) { return ascii }
        let lower = name.lowercased()
        if lower.hasSuffix("_file") || lower.hasSuffix("_path") || lower.hasSuffix("_url") { return false }
        return ["secret", "password", "passwd", "token", "credential", "api_key", "apikey", "private_key"]
            .contains { lower.contains($0) }
    }

    /// False only when `maskLine` cannot change `line`: an assignment is masked only when its
    /// (ASCII) name contains a secret word, so the ASCII-lowercased line contains it too, and
    /// an `=` or `:` follows the name.
    static func mayNeedMasking(_ line: String) -> Bool {
        var lower = Array(line.utf8)
        if lower.contains(UInt8(ascii: "<")) { return true }
        for i in lower.indices where lower[i] >= 0x41 && lower[i] <= 0x5A { lower[i] += 0x20 }
        if contains(Array(line.utf8), Array("eyJ".utf8)) { return true }
        // The assignment and key forms need an `=` or a `:` after the name.
        guard lower.contains(UInt8(ascii: "=")) || lower.contains(UInt8(ascii: ":")) else { return false }
        return secretWords.contains { contains(lower, $0) }
    }

    private static func contains(_ haystack: [UInt8], _ word: [UInt8]) -> Bool {
        guard haystack.count >= word.count else { return false }
        for start in 0...(haystack.count - word.count) where haystack[start] == word[0] {
            if haystack[start..<(start + word.count)].elementsEqual(word) { return true }
        }
        return false
    }

    private static let secretWords: [[UInt8]] = ["secret", "password", "passwd", "token", "credential", "api_key",
                                                   "apikey", "private_key"].map { Array($0.utf8) }
    private static let nonSecretSuffixes: [[UInt8]] = ["_file", "_path", "_url"].map { Array($0.utf8) }

    /// `isSecretName` for an ASCII name, on bytes (the same answer, without bridging to NSString).
    private static func isSecretASCIIName(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        @inline(__always) func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 0x20 : b }
        func matches(_ word: [UInt8], at start: Int) -> Bool {
            for j in 0..<word.count where lower(bytes[start + j]) != word[j] { return false }
            return true
        }
        for suffix in nonSecretSuffixes where bytes.count >= suffix.count && matches(suffix, at: bytes.count - suffix.count) {
            return false
        }
        return secretWords.contains { word in
            guard bytes.count >= word.count else { return false }
            for start in 0...(bytes.count - word.count) where matches(word, at: start) { return true }
            return false
        }
    }

    /// Masks the quoted value after `secret_name =` (any quote style, `[[...]]` too),
    /// JWT-shaped strings, and base64 SASL payloads inside `<auth>`/`<response>` elements.
    public static func maskLine(_ line: String) -> String {
        // Nothing to mask (the common case): no secret-looking name for an assignment, no `eyJ`
        // for a JWT, no `<` for a SASL element. Then every replacement below is the identity;
        // skipping them also avoids compiling the regular expressions at start-up.
        if !mayNeedMasking(line) { return line }
        return maskEverything(in: line)
    }

    /// Every replacement of `maskLine`, without the pre-check.
    static func maskEverything(in line: String) -> String {
        var result = maskAssignments(in: line)
        result = maskUnquoted(in: result)
        result = replace(jwtPattern, in: result) { _ in mask }
        result = replace(saslPattern, in: result) { match in
            "\(match[1])\(mask)\(match[3])"
        }
        return result
    }

    public static func maskText(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { maskLine(String($0)) }
            .joined(separator: "\n")
    }

    // The patterns run on PCRE2 rather than NSRegularExpression: ICU's regex engine builds
    // its Unicode sets on first use (about 1 ms, a third of a small `check`). They are
    // written to match exactly what ICU matched: `(*ANY)` gives `.` and `$` ICU's line
    // terminators, `\s` is spelled out as ICU's `\p{White_Space}` (PCRE2's own `\s` has a
    // different definition), and `\b` after a word
    // letter as ICU's "no word character follows" (ICU's word characters).
    private static let space = #"\p{White_Space}"#
    static let assignmentPattern = pattern(
        #"([A-Za-z_][A-Za-z0-9_]*)("# + space + #"*="# + space + #"*)("(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|\[=*\[.*?(?:\]=*\]|$))"#)
    static let jwtPattern = pattern(
        #"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"#)
    static let saslPattern = pattern(
        #"(<(?:auth|response|success)(?![\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\x{200C}\x{200D}])[^>]*>)([A-Za-z0-9+/=]{4,})(</(?:auth|response|success)>)"#)

    private static func pattern(_ text: String) -> PCRE2Pattern {
        // Interpreted, not JIT-compiled: they run on the few lines a report shows.
        try! PCRE2Pattern(compiling: "(*ANY)" + text, options: [.utf, .ucp], jit: false)
    }

    /// HOCON (`password: "x"`, `"password": "x"`), properties (`...auth.PASSWORD=x`) and
    /// shell env (`JICOFO_AUTH_PASSWORD=x`) forms: a secret-named key followed by `:`, or
    /// by `=` when the key is dotted or upper case (Lua option names are neither).
    static let unquotedPattern = pattern(
        #"(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\1("# + space + #"*:"# + space + #"*|(?<=[A-Za-z0-9_-])"# + space + #"*="# + space
            + #"*)("(?:[^"\\]|\\.)*"|'[^']*'|[^\p{White_Space},;}]+)"#)

    private static func maskUnquoted(in line: String) -> String {
        replace(unquotedPattern, in: line) { groups in
            let key = groups[2], separator = groups[3], value = groups[4]
            let last = key.split(separator: ".").last.map(String.init) ?? key
            guard isSecretName(last), value != mask, !value.contains(mask) else { return groups[0] }
            let isColon = separator.contains(":")
            // Lua options are lower case; shell env files (JICOFO_AUTH_PASSWORD=...) upper case.
            guard isColon || key.contains(".") || key == key.uppercased() else { return groups[0] }
            // After a colon only quoted values or password/secret keys: log prose such as
            // `Session token: nil` is no secret (JWTs themselves are masked by their shape).
            let quoted = value.hasPrefix("\"") || value.hasPrefix("'")
            if isColon, !quoted, !["password", "passwd", "secret", "app_secret", "component_secret"].contains(last.lowercased()) {
                return groups[0]
            }
            if value.hasPrefix("\"") || value.hasPrefix("'") {
                guard value.count > 2 else { return groups[0] }
                let quote = String(value.prefix(1))
                return groups[1] + key + groups[1] + separator + quote + mask + quote
            }
            // `https://...` after a colon is not a secret value; neither is a nested object.
            if value.hasPrefix("{") || value.hasPrefix("//") { return groups[0] }
            return groups[1] + key + groups[1] + separator + mask
        }
    }

    private static func maskAssignments(in line: String) -> String {
        replace(assignmentPattern, in: line) { groups in
            guard isSecretName(groups[1]) else { return groups[0] }
            let value = groups[3]
            let open = value.hasPrefix("[") ? String(value.prefix { $0 == "[" || $0 == "=" }) : String(value.prefix(1))
            let close = value.hasPrefix("[") ? open.replacingOccurrences(of: "[", with: "]") : open
            let isEmpty = value.count <= open.count + close.count
            return groups[1] + groups[2] + (isEmpty ? value : open + mask + close)
        }
    }

    /// Replaces every match with `transform(groups)`; groups[0] is the whole match,
    /// missing groups are "". (None of the patterns can match the empty string.)
    static func replace(_ regex: PCRE2Pattern, in text: String, _ transform: ([String]) -> String) -> String {
        var text = text
        return text.withUTF8 { buffer in
            let bytes = UnsafeRawBufferPointer(buffer)
            var output = ""
            var last = 0
            while last < bytes.count, let match = regex.firstMatch(in: bytes, from: last) {
                let range = match.range
                output += String(decoding: UnsafeRawBufferPointer(rebasing: bytes[last..<range.lowerBound]), as: UTF8.self)
                output += transform(match.groups.map { $0 ?? "" })
                last = range.upperBound
            }
            output += String(decoding: UnsafeRawBufferPointer(rebasing: bytes[last...]), as: UTF8.self)
            return output
        }
    }

    /// Replaces every match with `transform(groups)`; groups[0] is the whole match,
    /// missing groups are "".
    public static func replace(_ regex: NSRegularExpression, in text: String, _ transform: ([String]) -> String) -> String {
        let ns = text as NSString
        var output = ""
        var last = 0
        for match in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            output += ns.substring(with: NSRange(location: last, length: match.range.location - last))
            let groups = (0..<match.numberOfRanges).map { index -> String in
                let r = match.range(at: index)
                return r.location == NSNotFound ? "" : ns.substring(with: r)
            }
            output += transform(groups)
            last = match.range.location + match.range.length
        }
        output += ns.substring(from: last)
        return output
    }
}

extension SecretMasking {
    /// The configuration with every secret-named option value (and secret-named keys
    /// inside tables, like `sql = { password = ... }`) replaced by the mask.
    public static func maskSecrets(in configuration: ProsodyConfiguration) -> ProsodyConfiguration {
        func mask(_ value: ConfigValue, named name: String) -> ConfigValue {
            if isSecretName(name), case .string(let s) = value, !s.isEmpty { return .string(SecretMasking.mask) }
            guard case .table(var table) = value else { return value }
            table.entries = table.entries.map { entry in
                let key = entry.key.stringValue ?? ""
                return ConfigTable.Entry(key: entry.key, value: mask(entry.value, named: key))
            }
            return .table(table)
        }
        func maskSection(_ section: ConfigSection) -> ConfigSection {
            var copy = section
            copy.options = section.options.map { option in
                var o = option
                o.value = mask(option.value, named: option.name)
                return o
            }
            return copy
        }
        var copy = configuration
        copy.global = maskSection(configuration.global)
        copy.sections = configuration.sections.map(maskSection)
        copy.assignments = configuration.assignments.map { assignment in
            var a = assignment
            a.value = assignment.value.map { mask($0, named: assignment.name) }
            return a
        }
        return copy
    }
}
