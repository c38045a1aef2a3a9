import Doctor
import ProsodyConfig

/// The prioritised diagnosis: root causes with what they explain, then the rest.
public struct DiagnosisReporter {
    public var format: OutputFormat
    public var color: Bool
    public init(format: OutputFormat, color: Bool = false) {
        self.format = format
        self.color = color
    }

    public func render(_ diagnosis: Diagnosis, report: Report, header: [String] = []) -> String {
        switch format {
        case .json: return renderJSON(diagnosis, report: report, header: header)
        case .markdown: return renderMarkdown(diagnosis, report: report, header: header)
        case .text: return renderText(diagnosis, report: report, header: header)
        default:
            // Machine formats have no notion of grouping: same findings, root causes first.
            let ordered = diagnosis.groups.flatMap { [$0.root] + $0.explained } + diagnosis.others
            return Reporter.render(Report(findings: ordered, sources: report.sources, files: report.files), format: format, color: color)
        }
    }

    private func renderText(_ diagnosis: Diagnosis, report: Report, header: [String]) -> String {
        let text = TextReporter(color: color)
        var out = header.map { $0 + "\n" }.joined()
        if !header.isEmpty { out += "\n" }
        for (number, group) in diagnosis.groups.enumerated() {
            out += "== Root cause \(number + 1) of \(diagnosis.groups.count) ==\n"
            out += text.render(group.root, sources: report.sources)
            if !group.explained.isEmpty {
                out += "   This explains \(group.explained.count) other finding\(group.explained.count == 1 ? "" : "s"):\n"
                for finding in group.explained {
                    let place = finding.location.map { " (\($0.file):\($0.line))" } ?? ""
                    out += "   - \(finding.severity.rawValue)[\(finding.ruleID)]: \(SecretMasking.maskLine(finding.message))\(place)\n"
                }
            }
            out += "\n"
        }
        if !diagnosis.others.isEmpty {
            out += diagnosis.groups.isEmpty ? "" : "== Other findings, by severity ==\n"
            for finding in diagnosis.others { out += text.render(finding, sources: report.sources) + "\n" }
        }
        out += "\(report.summaryLine) in \(report.files.count) file\(report.files.count == 1 ? "" : "s")\n"
        return out
    }

    private func renderMarkdown(_ diagnosis: Diagnosis, report: Report, header: [String]) -> String {
        let ordered = diagnosis.groups.flatMap { [$0.root] + $0.explained } + diagnosis.others
        var out = MarkdownReporter().render(Report(findings: ordered, sources: report.sources, files: report.files,
                                                   toolVersion: report.toolVersion))
        var intro = header.isEmpty ? "" : header.map { "> " + $0 }.joined(separator: "\n") + "\n\n"
        if !diagnosis.groups.isEmpty {
            intro += "**Start here:**\n\n"
            for (number, group) in diagnosis.groups.enumerated() {
                intro += "\(number + 1). **\(group.root.ruleID)** \(MarkdownReporter.escape(SecretMasking.maskLine(group.root.message)))"
                if !group.explained.isEmpty { intro += " — explains " + group.explained.map(\.ruleID).joined(separator: ", ") }
                intro += "\n"
            }
            intro += "\n"
        }
        if let range = out.range(of: "\n\n") { out.insert(contentsOf: "\n\n" + intro.dropLast(), at: range.lowerBound) }
        return out
    }

    private func renderJSON(_ diagnosis: Diagnosis, report: Report, header: [String]) -> String {
        let document: JSONValue = .object([
            ("schema", .string("prosody-doctor.diagnosis/1")),
            ("tool", .object([("name", .string(ToolInfo.name)), ("version", .string(report.toolVersion))])),
            ("notes", .array(header.map { .string($0) })),
            ("files", .array(report.files.map { .string($0) })),
            ("root_causes", .array(diagnosis.groups.map { group in
                .object([("finding", JSONReporter.encode(group.root)),
                         ("explains", .array(group.explained.map(JSONReporter.encode)))])
            })),
            ("other_findings", .array(diagnosis.others.map(JSONReporter.encode))),
            ("summary", .object(Severity.allCases.map { ($0.rawValue + "s", .int(report.count($0))) })),
        ])
        return document.rendered() + "\n"
    }
}
