import Doctor

/// GitHub Actions workflow commands (`::error file=...::message`), escaped as the
/// runner expects, plus a markdown summary for `$GITHUB_STEP_SUMMARY`.
public struct GitHubReporter {
    public init() {}

    public func render(_ report: Report) -> String {
        var out = ""
        for finding in report.findings {
            let command: String = switch finding.severity {
            case .error: "error"
            case .warning: "warning"
            case .info, .hint: "notice"
            }
            var properties: [(String, String)] = []
            if let location = finding.location {
                properties += [("file", location.file), ("line", String(location.line)),
                               ("col", String(ColumnConversion.codePointColumn(location.range.start, file: location.file, sources: report.sources)))]
                if location.range.end.line > location.line { properties.append(("endLine", String(location.range.end.line))) }
            }
            properties.append(("title", "\(finding.ruleID) \(finding.ruleName)"))
            let props = properties.map { "\($0.0)=\(Self.escapeProperty($0.1))" }.joined(separator: ",")
            var message = SecretMasking.maskLine(finding.message)
            if let fix = finding.fix { message += "\nhelp: " + SecretMasking.maskText(fix.message) }
            out += "::\(command) \(props)::\(Self.escapeData(message))\n"
        }
        return out
    }

    /// A markdown table of the findings for the job summary page.
    public func stepSummary(_ report: Report) -> String {
        var out = "### prosody-doctor: \(report.summaryLine)\n\n"
        guard !report.findings.isEmpty else { return out }
        out += "| severity | rule | location | message |\n|---|---|---|---|\n"
        for finding in report.findings {
            let place = finding.location.map { "`\($0.file):\($0.line)`" } ?? ""
            let message = SecretMasking.maskLine(finding.message).replacingOccurrences(of: "|", with: "\\|")
            out += "| \(finding.severity.rawValue) | \(finding.ruleID) | \(place) | \(message) |\n"
        }
        return out
    }

    public static func escapeData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25")
            .replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    public static func escapeProperty(_ text: String) -> String {
        escapeData(text)
            .replacingOccurrences(of: ":", with: "%3A")
            .replacingOccurrences(of: ",", with: "%2C")
    }
}
