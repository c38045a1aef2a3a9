import Doctor

/// GitLab Code Quality report (a JSON array of issues).
public struct GitLabReporter {
    public init() {}

    public func render(_ report: Report) -> String {
        let fingerprints = Fingerprint.of(report.findings, sources: report.sources)
        let issues: [JSONValue] = zip(report.findings, fingerprints).map { finding, fingerprint in
            .object([
                ("description", .string("[\(finding.ruleID)] \(SecretMasking.maskLine(finding.message))")),
                ("check_name", .string(finding.ruleName)),
                ("fingerprint", .string(fingerprint)),
                ("severity", .string(Self.severity(finding.severity))),
                ("location", .object([
                    ("path", .string(finding.location?.file ?? "")),
                    ("lines", .object([("begin", .int(finding.location?.line ?? 1))])),
                ])),
            ])
        }
        return JSONValue.array(issues).rendered() + "\n"
    }

    static func severity(_ severity: Severity) -> String {
        switch severity {
        case .error: "critical"
        case .warning: "major"
        case .info: "minor"
        case .hint: "info"
        }
    }
}
