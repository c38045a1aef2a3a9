import Doctor
import Foundation
import ProsodyConfig
import PasteAnalysis
import Reporting
import XCTest

/// Each `samples/<name>/` holds a config tree and `expected/<format>` files: the
/// exact output of `prosody-doctor check` in that format. Run with
/// `UPDATE_GOLDEN=1` to rewrite them after an intended change (and review the diff).
final class SampleGoldenTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let formats: [OutputFormat] = OutputFormat.allCases

    func samples() throws -> [String] {
        let dir = Self.root.appendingPathComponent("samples")
        return try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { FileManager.default.fileExists(atPath: dir.appendingPathComponent("\($0)/prosody.cfg.lua").path) }
            .sorted()
    }

    func render(sample: String, format: OutputFormat) -> String {
        let previous = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(Self.root.path)
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        let loaded = ConfigLoader(environment: [:]).load(path: "samples/\(sample)/prosody.cfg.lua")
        let context = AnalysisContext(configuration: loaded.configuration, sources: loaded.sources)
        let report = Report(findings: Engine().runCorrelated(context), sources: loaded.sources, files: loaded.configuration.files)
            .displayingPaths(relativeTo: Self.root.path)
        switch format {
        case .sarif: return SARIFReporter(rootDirectory: Self.root.path).render(report)
            .replacingOccurrences(of: Self.root.absoluteString, with: "file:///ROOT/")
        default: return Reporter.render(report, format: format)
        }
    }

    func testEverySampleMatchesItsExpectedOutputInEveryFormat() throws {
        let update = ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1"
        let names = try samples()
        XCTAssertGreaterThanOrEqual(names.count, 2)
        for sample in names {
            let expectedDir = Self.root.appendingPathComponent("samples/\(sample)/expected")
            for format in Self.formats {
                let actual = render(sample: sample, format: format)
                let file = expectedDir.appendingPathComponent("check.\(format.rawValue)")
                if update {
                    try FileManager.default.createDirectory(at: expectedDir, withIntermediateDirectories: true)
                    try Data(actual.utf8).write(to: file)
                    continue
                }
                guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
                    XCTFail("missing \(file.path); run UPDATE_GOLDEN=1 swift test --filter GoldenTests")
                    continue
                }
                XCTAssertEqual(actual, expected, "samples/\(sample) differs in format \(format.rawValue)")
            }
        }
    }

    func testNoSecretInAnyGoldenOutput() throws {
        for sample in try samples() {
            for format in Self.formats {
                let output = render(sample: sample, format: format)
                XCTAssertFalse(output.contains("Sup3rS3cretSigningKey"), "secret leaked in \(sample) \(format.rawValue)")
            }
        }
    }

    /// `diagnose` on the pasted blobs (`samples/*/paste.txt`) and the copied server tree.
    func diagnose(_ sample: String, format: OutputFormat) throws -> String {
        let previous = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(Self.root.path)
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        var input = sample == "jitsi-server-tree"
            ? try InstallationDiagnosis.load(root: "samples/jitsi-server-tree", release: nil)
            : try PasteDiagnosis.load("samples/\(sample)/paste.txt", release: nil)
        // File modes depend on the checkout's umask: the permission rules have their own tests.
        input.context.fileFacts = [:]
        let findings = Engine().runCorrelated(input.context)
        let report = Report(findings: findings, sources: input.context.sources, files: input.files)
            .displayingPaths(relativeTo: Self.root.path)
        return DiagnosisReporter(format: format).render(Diagnosis(findings: report.findings), report: report, header: input.notes)
    }

    func testDiagnosisOfPastesAndTheServerTreeMatchExpectedOutput() throws {
        let update = ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1"
        for sample in ["forum-paste", "jitsi-server-tree"] {
            for format in [OutputFormat.text, .markdown, .json] {
                let actual = try diagnose(sample, format: format)
                let file = Self.root.appendingPathComponent("samples/\(sample)/expected/diagnose.\(format.rawValue)")
                if update {
                    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try Data(actual.utf8).write(to: file)
                    continue
                }
                let expected = try? String(contentsOf: file, encoding: .utf8)
                XCTAssertEqual(actual, expected, "samples/\(sample) diagnose differs in \(format.rawValue)")
                XCTAssertFalse(actual.contains("Sup3rS3cretSigningKey"))
            }
        }
    }
}

/// Precision review: every error and warning over the real configs of the shared
/// corpus, checked in as `Tests/GoldenTests/corpus-findings.txt` so each change in
/// what the rules say about real configs is seen (and reviewed) in a diff.
final class CorpusPrecisionTests: XCTestCase {
    static let shared = SampleGoldenTests.root.deletingLastPathComponent().appendingPathComponent("shared/corpus/configs")
    static let expected = SampleGoldenTests.root.appendingPathComponent("Tests/GoldenTests/corpus-findings.txt")

    func testErrorsAndWarningsOverTheCorpusMatchTheReviewedReport() throws {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: Self.shared.path) else {
            throw XCTSkip("shared corpus not found at \(Self.shared.path)")
        }
        var lines: [String] = []
        var counts: [String: Int] = [:]
        for name in names.sorted() {
            let loaded = ConfigLoader(environment: [:], includeOrder: .sorted).load(path: Self.shared.appendingPathComponent(name).path)
            let context = AnalysisContext(configuration: loaded.configuration, sources: loaded.sources)
            let report = Report(findings: Engine().run(context, filter: FindingFilter(minimumSeverity: .warning)),
                                sources: loaded.sources, files: loaded.configuration.files)
                .displayingPaths(relativeTo: Self.shared.path)
            for finding in report.findings {
                counts[finding.severity.rawValue, default: 0] += 1
                let place = finding.location.map { "\($0.file):\($0.line)" } ?? name
                lines.append("\(place): \(finding.severity.rawValue) [\(finding.ruleID)] \(SecretMasking.maskLine(finding.message))")
            }
        }
        let text = "# \(names.count) corpus configs: \(counts["error", default: 0]) errors, \(counts["warning", default: 0]) warnings\n"
            + lines.joined(separator: "\n") + "\n"
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try Data(text.utf8).write(to: Self.expected)
            return
        }
        let expected = try String(contentsOf: Self.expected, encoding: .utf8)
        XCTAssertEqual(text, expected, "findings over the corpus changed: review, then UPDATE_GOLDEN=1")
    }
}
