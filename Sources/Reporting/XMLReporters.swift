import Doctor

/// Checkstyle XML (one `<file>` per file) for tools that read it.
public struct CheckstyleReporter {
    public init() {}

    public func render(_ report: Report) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n"
        let byFile = Dictionary(grouping: report.findings) { $0.location?.file ?? "" }
        for file in byFile.keys.sorted() {
            out += "  <file name=\"\(XML.escape(file))\">\n"
            for finding in byFile[file] ?? [] {
                let severity = finding.severity == .hint ? "info" : finding.severity.rawValue
                out += "    <error line=\"\(finding.location?.line ?? 0)\" column=\"\(finding.location?.column ?? 0)\""
                out += " severity=\"\(severity)\" message=\"\(XML.escape(SecretMasking.maskLine(finding.message)))\""
                out += " source=\"prosody-doctor.\(finding.ruleID).\(finding.ruleName)\"/>\n"
            }
            out += "  </file>\n"
        }
        return out + "</checkstyle>\n"
    }
}

/// JUnit XML: one failing test case per finding, or one passing case when clean.
public struct JUnitReporter {
    public init() {}

    public func render(_ report: Report) -> String {
        let failures = report.findings.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"prosody-doctor\" tests=\"\(max(1, failures))\" failures=\"\(failures)\">\n"
        out += "  <testsuite name=\"prosody-doctor\" tests=\"\(max(1, failures))\" failures=\"\(failures)\" errors=\"0\">\n"
        if report.findings.isEmpty {
            out += "    <testcase classname=\"prosody-doctor\" name=\"configuration\"/>\n"
        }
        for finding in report.findings {
            let place = finding.location.map { "\($0.file):\($0.line):\($0.column)" } ?? "-"
            let message = SecretMasking.maskLine(finding.message)
            out += "    <testcase classname=\"\(XML.escape(finding.location?.file ?? "prosody-doctor"))\" name=\"\(XML.escape("\(finding.ruleID) \(place)"))\">\n"
            out += "      <failure type=\"\(finding.severity.rawValue)\" message=\"\(XML.escape(message))\">"
            out += XML.escape("\(place): \(finding.severity.rawValue) [\(finding.ruleID)] \(message)")
            if let fix = finding.fix { out += XML.escape("\nhelp: " + SecretMasking.maskText(fix.message)) }
            out += "</failure>\n    </testcase>\n"
        }
        return out + "  </testsuite>\n</testsuites>\n"
    }
}

enum XML {
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            case "\t", "\r": out += "&#\(scalar.value);"
            case _ where scalar.value < 0x20: out += "?"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
