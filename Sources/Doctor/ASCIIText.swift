import Foundation

/// Foundation string operations without Foundation for ASCII text.
///
/// `trimmingCharacters` and `replacingOccurrences` bridge through NSString, and their first
/// use instantiates generic metadata (protocol-conformance scans of the whole binary): a
/// visible part of a small `check`. On ASCII text their answer is a plain byte operation;
/// other text still goes to Foundation, so results are the same for every input.
public enum ASCIIText {
    /// `text.contains(target)` (Foundation's substring search) for an ASCII target: a byte
    /// search when the text is ASCII too.
    public static func contains(_ target: String, in text: String) -> Bool {
        var text = text, target = target
        let answer: Bool? = text.withUTF8 { haystack in
            target.withUTF8 { needle in
                // (An empty target is left to Foundation, which has its own answer for it.)
                guard !needle.isEmpty, !haystack.contains(where: { $0 >= 0x80 }), !needle.contains(where: { $0 >= 0x80 }) else {
                    return nil
                }
                guard haystack.count >= needle.count else { return false }
                for start in 0...(haystack.count - needle.count)
                where haystack[start] == needle[0] && memcmp(haystack.baseAddress! + start, needle.baseAddress!, needle.count) == 0 {
                    return true
                }
                return false
            }
        }
        return answer ?? text.contains(target)
    }

    /// `text.trimmingCharacters(in: .whitespaces)` (for ASCII: spaces and tabs).
    public static func trimmingWhitespaces(_ text: String) -> String {
        let utf8 = text.utf8
        guard utf8.allSatisfy({ $0 < 0x80 }) else { return text.trimmingCharacters(in: .whitespaces) }
        func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
        guard let first = utf8.firstIndex(where: { !isBlank($0) }) else { return "" }
        let last = utf8.lastIndex(where: { !isBlank($0) })!
        if first == utf8.startIndex && last == utf8.index(before: utf8.endIndex) { return text }
        return String(text[first...last])
    }

    /// `text.replacingOccurrences(of: target, with: replacement)`.
    public static func replacing(_ target: String, with replacement: String, in text: String) -> String {
        guard !target.isEmpty, target.utf8.allSatisfy({ $0 < 0x80 }), text.utf8.allSatisfy({ $0 < 0x80 }) else {
            return text.replacingOccurrences(of: target, with: replacement)
        }
        // Left to right, without overlaps, as NSString does.
        let haystack = Array(text.utf8), needle = Array(target.utf8)
        var output: [UInt8] = []
        var start = 0, copied = 0
        while start + needle.count <= haystack.count {
            if haystack[start] == needle[0], haystack[start..<(start + needle.count)].elementsEqual(needle) {
                output += haystack[copied..<start]
                output += replacement.utf8
                start += needle.count
                copied = start
            } else {
                start += 1
            }
        }
        if copied == 0 { return text }
        output += haystack[copied...]
        return String(decoding: output, as: UTF8.self)
    }

    /// The text before the first line feed (`components(separatedBy: "\n").first`). Like
    /// Foundation, a CR LF pair (one character) is not a line feed.
    public static func firstLine(_ text: String) -> String {
        let utf8 = text.utf8
        var previous: UInt8 = 0
        for index in utf8.indices {
            let byte = utf8[index]
            if byte == 0x0A && previous != 0x0D { return String(text[..<index]) }
            previous = byte
        }
        return text
    }
}
