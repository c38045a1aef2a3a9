import Doctor
import ProsodyConfig

/// What every reporter formats: the findings and the source texts for excerpts.
public struct Report: Sendable {
    public var findings: [Finding]
    public var sources: SourceFiles
    /// The files that were checked (for summaries).
    public var files: [String]
    public var toolVersion: String

    public init(findings: [Finding], sources: SourceFiles, files: [String], toolVersion: String = ToolInfo.version) {
        self.findings = findings
        self.sources = sources
        self.files = files
        self.toolVersion = toolVersion
    }

    public func count(_ severity: Severity) -> Int { findings.filter { $0.severity == severity }.count }

    /// "2 errors, 1 warning" (only non-zero counts), or "no problems found".
    public var summaryLine: String {
        let parts = Severity.allCases.compactMap { severity -> String? in
            let n = count(severity)
            guard n > 0 else { return nil }
            return "\(n) \(severity.rawValue)\(n == 1 ? "" : "s")"
        }
        return parts.isEmpty ? "no problems found" : parts.joined(separator: ", ")
    }
}

public enum ToolInfo {
    public static let name = "prosody-doctor"
    public static let version = "0.1.0"
    public static let informationURI = "https://github.com/prosody-doctor/prosody-doctor"
}

public enum OutputFormat: String, Sendable, CaseIterable {
    case text, concise, json, sarif, github, gitlab, checkstyle, junit, markdown, html
}

public enum Reporter {
    public static func render(_ report: Report, format: OutputFormat, color: Bool = false) -> String {
        switch format {
        case .text: TextReporter(color: color).render(report)
        case .concise: ConciseReporter().render(report)
        case .json: JSONReporter().render(report)
        case .sarif: SARIFReporter().render(report)
        case .github: GitHubReporter().render(report)
        case .gitlab: GitLabReporter().render(report)
        case .checkstyle: CheckstyleReporter().render(report)
        case .junit: JUnitReporter().render(report)
        case .markdown: MarkdownReporter().render(report)
        case .html: HTMLReporter().render(report)
        }
    }
}

extension Report {
    /// The same report with file paths under `directory` shown relative to it, as a
    /// user who typed a relative path expects (the loader works with absolute paths).
    public func displayingPaths(relativeTo directory: String) -> Report {
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        func display(_ path: String) -> String { path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path }
        func display(_ location: SourceLocation) -> SourceLocation {
            SourceLocation(file: display(location.file), range: location.range)
        }
        var copy = self
        copy.findings = findings.map { finding in
            var f = finding
            f.message = ASCIIText.replacing(base, with: "", in: f.message)
            f.location = f.location.map(display)
            f.related = f.related.map { RelatedLocation(display($0.location), note: $0.note) }
            if var fix = f.fix {
                fix.message = ASCIIText.replacing(base, with: "", in: fix.message)
                fix.edits = fix.edits.map { TextEdit(location: display($0.location), replacement: $0.replacement) }
                f.fix = fix
            }
            return f
        }
        copy.sources = SourceFiles(texts: Dictionary(sources.texts.map { (display($0.key), $0.value) }) { a, _ in a })
        copy.files = files.map(display)
        return copy
    }
}
