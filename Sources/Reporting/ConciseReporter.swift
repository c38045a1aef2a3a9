import Doctor

/// `file:line:col: severity [ID] message`, one finding a line (for editors and grep).
public struct ConciseReporter {
    public init() {}

    public func render(_ report: Report) -> String {
        var lines = report.findings.map { finding -> String in
            let place = finding.location.map { "\($0.file):\($0.line):\($0.column)" } ?? "-"
            return "\(place): \(finding.severity.rawValue) [\(finding.ruleID)] \(SecretMasking.maskLine(finding.message))"
        }
        lines.append(report.summaryLine)
        return lines.joined(separator: "\n") + "\n"
    }
}
