import Doctor
import ProsodyConfig

/// rustc-style text: `error[ID]: message`, ` --> file:line:col`, the source line
/// (secrets masked), a caret under the span, related notes and `help:`.
public struct TextReporter {
    public var color: Bool
    public init(color: Bool = false) { self.color = color }

    public func render(_ report: Report) -> String {
        var out = ""
        for finding in report.findings {
            out += render(finding, sources: report.sources) + "\n"
        }
        let files = report.files.count
        out += paint("\(report.summaryLine) in \(files) file\(files == 1 ? "" : "s")", bold: true) + "\n"
        return out
    }

    public func render(_ finding: Finding, sources: SourceFiles) -> String {
        var lines: [String] = []
        let header = paint("\(finding.severity.rawValue)[\(finding.ruleID)]", code: severityColor(finding.severity), bold: true)
        lines.append(header + paint(": \(SecretMasking.maskLine(finding.message))", bold: true))
        let gutterWidth = String(([finding.location] + finding.related.map(\.location)).compactMap { $0?.range.end.line }.max() ?? 1).count
        let gutter = String(repeating: " ", count: gutterWidth)
        if let location = finding.location {
            lines.append("\(gutter)\(paint("-->", code: 34)) \(location.file):\(location.line):\(displayColumn(location, sources))")
            lines += excerpt(location, sources: sources, gutterWidth: gutterWidth, marker: "^", label: nil)
        }
        for related in finding.related {
            lines.append("\(gutter)\(paint("-->", code: 34)) \(related.location.file):\(related.location.line):\(displayColumn(related.location, sources)) (\(related.note))")
            lines += excerpt(related.location, sources: sources, gutterWidth: gutterWidth, marker: "-", label: related.note)
        }
        if let fix = finding.fix {
            let fixLines = SecretMasking.maskText(fix.message).split(separator: "\n", omittingEmptySubsequences: false)
            lines.append("\(gutter) \(paint("=", code: 34)) \(paint("help", bold: true)): \(fixLines.first ?? "")")
            for extra in fixLines.dropFirst() { lines.append("\(gutter)         \(extra)") }
        }
        if finding.confidence != .certain {
            lines.append("\(gutter) \(paint("=", code: 34)) note: confidence: \(finding.confidence.rawValue)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func excerpt(_ location: SourceLocation, sources: SourceFiles, gutterWidth: Int, marker: Character,
                         label: String?) -> [String] {
        guard let text = sources.line(location.line, in: location.file) else { return [] }
        let masked = SecretMasking.maskLine(text)
        let number = String(location.line)
        let pad = String(repeating: " ", count: gutterWidth - number.count)
        let bar = paint("|", code: 34)
        let blank = String(repeating: " ", count: gutterWidth)
        let bytes = Array(text.utf8)
        let startByte = max(0, min(bytes.count, location.range.start.column - 1))
        let endByte: Int = location.range.end.line == location.line
            ? max(startByte + 1, min(bytes.count, location.range.end.column - 1))
            : max(startByte + 1, bytes.count)
        // Keep tabs in the underline so it lines up with the excerpt in any terminal.
        let prefix = String(String(decoding: bytes[0..<startByte], as: UTF8.self).map { $0 == "\t" ? Character("\t") : Character(" ") })
        let span = max(1, String(decoding: bytes[startByte..<min(endByte, bytes.count)], as: UTF8.self).count)
        let underline = String(prefix) + String(repeating: marker, count: span)
        return [
            "\(blank) \(bar)",
            "\(pad)\(number) \(bar) \(masked)",
            "\(blank) \(bar) \(paint(underline, code: marker == "^" ? 31 : 34, bold: true))",
        ]
    }

    private func displayColumn(_ location: SourceLocation, _ sources: SourceFiles) -> Int {
        guard let text = sources.line(location.line, in: location.file) else { return location.column }
        let bytes = Array(text.utf8)
        let prefix = bytes.prefix(max(0, location.column - 1))
        return String(decoding: prefix, as: UTF8.self).count + 1
    }

    private func severityColor(_ severity: Severity) -> Int {
        switch severity {
        case .error: 31
        case .warning: 33
        case .info: 36
        case .hint: 32
        }
    }

    private func paint(_ text: String, code: Int? = nil, bold: Bool = false) -> String {
        guard color else { return text }
        var codes: [String] = []
        if bold { codes.append("1") }
        if let code { codes.append(String(code)) }
        guard !codes.isEmpty else { return text }
        return "\u{1B}[\(codes.joined(separator: ";"))m\(text)\u{1B}[0m"
    }
}
