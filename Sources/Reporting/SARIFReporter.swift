import Doctor
import LuaSyntax
import Foundation
import ProsodyConfig

/// SARIF 2.1.0 with the rule catalogue in `tool.driver.rules`, repo-relative URIs
/// under `%SRCROOT%`, code-point columns and stable `partialFingerprints`.
public struct SARIFReporter {
    public var rootDirectory: String
    public var rules: [RuleDescription]

    public init(rootDirectory: String = FileManager.default.currentDirectoryPath,
                rules: [RuleDescription] = RuleCatalogue.embedded.rules) {
        self.rootDirectory = rootDirectory
        self.rules = rules
    }

    public func render(_ report: Report) -> String {
        let index = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.id, $0) })
        let fingerprints = Fingerprint.of(report.findings, sources: report.sources)
        let results: [JSONValue] = zip(report.findings, fingerprints).map { finding, fingerprint in
            var fields: [(String, JSONValue)] = [("ruleId", .string(finding.ruleID))]
            if let i = index[finding.ruleID] { fields.append(("ruleIndex", .int(i))) }
            fields += [
                ("level", .string(Self.level(finding.severity))),
                ("message", .object([("text", .string(SecretMasking.maskLine(finding.message)))])),
                ("locations", .array(finding.location.map { [location($0, report.sources)] } ?? [])),
            ]
            if !finding.related.isEmpty {
                fields.append(("relatedLocations", .array(finding.related.enumerated().map { offset, related in
                    var physical = location(related.location, report.sources)
                    if case .object(var pairs) = physical {
                        pairs.insert(("id", .int(offset + 1)), at: 0)
                        pairs.append(("message", .object([("text", .string(related.note))])))
                        physical = .object(pairs)
                    }
                    return physical
                })))
            }
            fields.append(("partialFingerprints", .object([("prosodyDoctor/v1", .string(fingerprint))])))
            fields.append(("properties", .object([("confidence", .string(finding.confidence.rawValue)),
                                                  ("category", .string(finding.category.rawValue))])))
            return .object(fields)
        }
        let driver: JSONValue = .object([
            ("name", .string(ToolInfo.name)),
            ("version", .string(report.toolVersion)),
            ("semanticVersion", .string(report.toolVersion)),
            ("informationUri", .string(ToolInfo.informationURI)),
            ("rules", .array(rules.map(Self.describe))),
        ])
        let run: JSONValue = .object([
            ("tool", .object([("driver", driver)])),
            ("originalUriBaseIds", .object([("%SRCROOT%", .object([("uri", .string(rootURI))]))])),
            ("columnKind", .string("unicodeCodePoints")),
            ("results", .array(results)),
        ])
        let document: JSONValue = .object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            ("runs", .array([run])),
        ])
        return document.rendered() + "\n"
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .info, .hint: "note"
        }
    }

    static func describe(_ rule: RuleDescription) -> JSONValue {
        .object([
            ("id", .string(rule.id)),
            ("name", .string(rule.name)),
            ("shortDescription", .object([("text", .string(rule.summary))])),
            ("fullDescription", .object([("text", .string(rule.explanation))])),
            ("help", .object([("text", .string(rule.fix)), ("markdown", .string("**Fix**\n\n" + rule.fix))])),
            ("helpUri", .string("\(ToolInfo.informationURI)/blob/main/docs/rules.md#\(rule.id.lowercased())")),
            ("defaultConfiguration", .object([("level", .string(level(rule.severity)))])),
            ("properties", .object([("category", .string(rule.category.rawValue)),
                                    ("tags", .array([.string(rule.category.rawValue)]))])),
        ])
    }

    private var rootURI: String {
        let path = rootDirectory.hasSuffix("/") ? rootDirectory : rootDirectory + "/"
        return "file://" + (path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path)
    }

    /// Paths under the root become relative URIs; others stay absolute file URIs.
    func uri(for file: String) -> (uri: String, base: String?) {
        let absolute = file.hasPrefix("/") ? file : (rootDirectory as NSString).appendingPathComponent(file)
        let standardized = (absolute as NSString).standardizingPath
        let root = (rootDirectory as NSString).standardizingPath
        let encode = { (s: String) in s.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? s }
        if standardized.hasPrefix(root + "/") {
            return (encode(String(standardized.dropFirst(root.count + 1))), "%SRCROOT%")
        }
        return ("file://" + encode(standardized), nil)
    }

    private func location(_ location: SourceLocation, _ sources: SourceFiles) -> JSONValue {
        let (uri, base) = uri(for: location.file)
        var artifact: [(String, JSONValue)] = [("uri", .string(uri))]
        if let base { artifact.append(("uriBaseId", .string(base))) }
        let start = ColumnConversion.codePointColumn(location.range.start, file: location.file, sources: sources)
        let end = ColumnConversion.codePointColumn(location.range.end, file: location.file, sources: sources)
        var region: [(String, JSONValue)] = [("startLine", .int(location.range.start.line)), ("startColumn", .int(start))]
        if location.range.end.line >= location.range.start.line {
            region.append(("endLine", .int(location.range.end.line)))
            region.append(("endColumn", .int(max(end, location.range.end.line == location.range.start.line ? start : 1))))
        }
        return .object([("physicalLocation", .object([
            ("artifactLocation", .object(artifact)),
            ("region", .object(region)),
        ]))])
    }
}

/// Converts our UTF-8 byte columns into Unicode code-point columns using the source line.
public enum ColumnConversion {
    public static func codePointColumn(_ position: SourcePosition, file: String, sources: SourceFiles) -> Int {
        guard let text = sources.line(position.line, in: file) else { return max(1, position.column) }
        let prefix = Array(text.utf8).prefix(max(0, position.column - 1))
        return String(decoding: prefix, as: UTF8.self).unicodeScalars.count + 1
    }
}
