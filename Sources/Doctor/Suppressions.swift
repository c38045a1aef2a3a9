import Foundation
import LuaSyntax
import ProsodyConfig

/// Inline suppressions written in Lua comments:
///   `-- prosody-doctor: ignore[JWT502] reason`   this line, or the next code line when alone
///   `-- prosody-doctor: disable[CFG103]` ... `-- prosody-doctor: enable[CFG103]`
///   `-- prosody-doctor: file-ignore[SEC301] reason`
public struct SuppressionDirective: Sendable {
    public enum Kind: String, Sendable { case ignore, disable, enable, fileIgnore = "file-ignore" }
    public var kind: Kind
    /// Rule ids, id prefixes or names, as written.
    public var rules: [String]
    public var reason: String
    public var location: SourceLocation
    /// The lines of `location.file` it covers (for ignore/disable/file-ignore).
    public var coveredLines: ClosedRange<Int>

    func covers(_ finding: Finding) -> Bool {
        guard kind != .enable, let place = finding.location, place.file == location.file,
              coveredLines.contains(place.line) else { return false }
        return rules.contains { SuppressionDirective.matches($0, finding) }
    }

    static func matches(_ pattern: String, _ finding: Finding) -> Bool {
        finding.ruleID.uppercased().hasPrefix(pattern.uppercased()) || finding.ruleName == pattern.lowercased()
    }
}

public struct MalformedDirective: Sendable {
    public var location: SourceLocation
    public var problem: String
}

public struct SuppressionSet: Sendable {
    public var directives: [SuppressionDirective]
    public var malformed: [MalformedDirective]

    /// Reads every directive in the given sources. `knownRule` validates ids/names/prefixes.
    public static func parse(_ sources: SourceFiles, knownRule: (String) -> Bool) -> SuppressionSet {
        var directives: [SuppressionDirective] = []
        var malformed: [MalformedDirective] = []
        for file in sources.texts.keys.sorted() {
            guard let bytes = sources.texts[file] else { continue }
            // Byte pre-filter: a directive needs the ASCII text "prosody-doctor" (no NSString search over the file).
            guard Self.containsMarker(bytes) else { continue }
            let text = String(decoding: bytes, as: UTF8.self)
            guard text.contains("prosody-doctor") else { continue }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            var open: [String: (SourceLocation, Int)] = [:]   // rule -> (where disabled, from line)
            var pending: [SuppressionDirective] = []
            for (index, line) in lines.enumerated() {
                let number = index + 1
                guard let match = Self.directivePattern.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)),
                      let commentRange = Range(match.range(at: 1), in: line),
                      let bodyRange = Range(match.range(at: 2), in: line) else { continue }
                let column = line.utf8.distance(from: line.startIndex, to: commentRange.lowerBound) + 1
                let location = SourceLocation(file: file, range: SourceRange(
                    start: SourcePosition(offset: 0, line: number, column: column),
                    end: SourcePosition(offset: 0, line: number, column: line.utf8.count + 1)))
                let body = String(line[bodyRange]).trimmingCharacters(in: .whitespaces)
                guard let parsed = Self.bodyPattern.firstMatch(in: body, range: NSRange(body.startIndex..., in: body)),
                      let kindRange = Range(parsed.range(at: 1), in: body), let listRange = Range(parsed.range(at: 2), in: body),
                      let kind = SuppressionDirective.Kind(rawValue: String(body[kindRange])) else {
                    malformed.append(MalformedDirective(location: location,
                        problem: "cannot read '\(body)'; expected ignore[ID], disable[ID], enable[ID] or file-ignore[ID] followed by a reason"))
                    continue
                }
                let rules = body[listRange].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                let reasonRange = Range(parsed.range(at: 3), in: body)
                let reason = reasonRange.map { String(body[$0]).trimmingCharacters(in: .whitespaces) } ?? ""
                if rules.isEmpty {
                    malformed.append(MalformedDirective(location: location, problem: "\(kind.rawValue)[] names no rule"))
                    continue
                }
                if let unknown = rules.first(where: { !knownRule($0) }) {
                    malformed.append(MalformedDirective(location: location, problem: "'\(unknown)' is not a rule id, id prefix or name"))
                    continue
                }
                let codeBefore = line[..<commentRange.lowerBound].contains { !$0.isWhitespace }
                switch kind {
                case .ignore:
                    var directive = SuppressionDirective(kind: kind, rules: rules, reason: reason, location: location,
                                                         coveredLines: number...number)
                    if codeBefore { directives.append(directive) } else {
                        directive.coveredLines = number...number
                        pending.append(directive)   // resolved at the next code line
                    }
                case .fileIgnore:
                    directives.append(SuppressionDirective(kind: kind, rules: rules, reason: reason, location: location,
                                                           coveredLines: 1...max(1, lines.count)))
                case .disable:
                    for rule in rules { open[rule.uppercased()] = (location, number) }
                case .enable:
                    for rule in rules {
                        guard let (start, from) = open.removeValue(forKey: rule.uppercased()) else {
                            malformed.append(MalformedDirective(location: location, problem: "enable[\(rule)] without a matching disable[\(rule)]"))
                            continue
                        }
                        directives.append(SuppressionDirective(kind: .disable, rules: [rule], reason: reason, location: start,
                                                               coveredLines: from...number))
                    }
                }
            }
            // Own-line ignores cover the next line that holds code.
            for var directive in pending {
                var target = directive.location.line + 1
                while target <= lines.count, Self.isCommentOrBlank(lines[target - 1]) { target += 1 }
                directive.coveredLines = directive.location.line...min(max(target, directive.location.line), max(lines.count, 1))
                directives.append(directive)
            }
            for (rule, (start, from)) in open {
                directives.append(SuppressionDirective(kind: .disable, rules: [rule], reason: "", location: start,
                                                       coveredLines: from...max(from, lines.count)))
            }
        }
        return SuppressionSet(directives: directives, malformed: malformed)
    }

    /// Splits findings into kept ones, and reports which directives suppressed nothing.
    public func apply(to findings: [Finding]) -> (kept: [Finding], unused: [SuppressionDirective]) {
        var used = Array(repeating: false, count: directives.count)
        var kept: [Finding] = []
        for finding in findings {
            var suppressed = false
            for (index, directive) in directives.enumerated() where directive.covers(finding) {
                used[index] = true
                suppressed = true
            }
            if !suppressed { kept.append(finding) }
        }
        return (kept, directives.indices.filter { !used[$0] }.map { directives[$0] })
    }

    private static let marker = Array("prosody-doctor".utf8)

    static func containsMarker(_ bytes: [UInt8]) -> Bool {
        let needle = marker
        guard bytes.count >= needle.count else { return false }
        return bytes.withUnsafeBufferPointer { buffer in
            var i = 0
            let last = buffer.count - needle.count
            while i <= last {
                if buffer[i] == 0x70 /* p */ {
                    var j = 1
                    while j < needle.count && buffer[i + j] == needle[j] { j += 1 }
                    if j == needle.count { return true }
                }
                i += 1
            }
            return false
        }
    }

    static func isCommentOrBlank(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty || trimmed.hasPrefix("--")
    }

    private static let directivePattern = try! NSRegularExpression(pattern: #"(--+\s*prosody-doctor\s*:)(.*)$"#)
    private static let bodyPattern = try! NSRegularExpression(pattern: #"^(ignore|disable|enable|file-ignore)\[([^\]]*)\](.*)$"#)
}
