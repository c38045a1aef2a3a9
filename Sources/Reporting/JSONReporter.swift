import Doctor
import ProsodyConfig

/// The versioned JSON document (`prosody-doctor.findings/1`), documented in README.
public struct JSONReporter {
    public static let schema = "prosody-doctor.findings/1"
    public init() {}

    public func render(_ report: Report) -> String {
        let document: JSONValue = .object([
            ("schema", .string(Self.schema)),
            ("tool", .object([("name", .string(ToolInfo.name)), ("version", .string(report.toolVersion))])),
            ("files", .array(report.files.map { .string($0) })),
            ("findings", .array(report.findings.map(Self.encode))),
            ("summary", .object(Severity.allCases.map { ($0.rawValue + "s", .int(report.count($0))) })),
        ])
        return document.rendered() + "\n"
    }

    static func encode(_ finding: Finding) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("rule", .string(finding.ruleID)),
            ("name", .string(finding.ruleName)),
            ("severity", .string(finding.severity.rawValue)),
            ("category", .string(finding.category.rawValue)),
            ("confidence", .string(finding.confidence.rawValue)),
            ("message", .string(SecretMasking.maskLine(finding.message))),
            ("location", finding.location.map(encode) ?? .null),
            ("related", .array(finding.related.map { .object([("note", .string($0.note)), ("location", encode($0.location))]) })),
        ]
        if let fix = finding.fix {
            fields.append(("fix", .object([
                ("message", .string(SecretMasking.maskText(fix.message))),
                ("edits", .array(fix.edits.map { edit in
                    .object([("location", encode(edit.location)), ("replacement", .string(SecretMasking.maskText(edit.replacement)))])
                })),
            ])))
        } else {
            fields.append(("fix", .null))
        }
        return .object(fields)
    }

    static func encode(_ location: SourceLocation) -> JSONValue {
        .object([
            ("file", .string(location.file)),
            ("line", .int(location.range.start.line)),
            ("column", .int(location.range.start.column)),
            ("end_line", .int(location.range.end.line)),
            ("end_column", .int(location.range.end.column)),
        ])
    }
}
