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

    /// Scenario trees: `samples/<name>/` with `etc/prosody/prosody.cfg.lua` (and Jitsi, nginx, logs) under it.
    static func trees() throws -> [String] {
        let dir = root.appendingPathComponent("samples")
        return try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { FileManager.default.fileExists(atPath: dir.appendingPathComponent("\($0)/etc/prosody/prosody.cfg.lua").path) }
            .sorted()
    }

    /// Pasted blobs: `samples/<name>/paste.txt`.
    static func pastes() throws -> [String] {
        let dir = root.appendingPathComponent("samples")
        return try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { FileManager.default.fileExists(atPath: dir.appendingPathComponent("\($0)/paste.txt").path) }
            .sorted()
    }

    /// The canonical deployments of research jitsi-token-auth §3 and a plain server: no error, no warning.
    static let healthyTrees = ["jitsi-anonymous-default", "jitsi-jwt-guests-healthy", "jitsi-secure-domain", "xmpp-plain-server"]

    /// Loads a tree (`--root`) or a paste the way `prosody-doctor diagnose` does, with paths as given.
    static func diagnosisInput(tree: String? = nil, paste: String? = nil) throws -> DiagnosisInput {
        var input = try tree.map { try InstallationDiagnosis.load(root: $0, release: nil) }
            ?? PasteDiagnosis.load(paste!, release: nil)
        // File modes depend on the checkout's umask: the permission rules have their own tests.
        input.context.fileFacts = [:]
        return input
    }

    /// `diagnose` of a sample (a scenario tree or `samples/<name>/paste.txt`), paths relative to the checkout.
    static func diagnosis(_ sample: String) throws -> (diagnosis: Diagnosis, report: Report, notes: [String]) {
        let previous = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(root.path)
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        let isTree = FileManager.default.fileExists(atPath: "samples/\(sample)/etc/prosody/prosody.cfg.lua")
        let input = isTree ? try diagnosisInput(tree: "samples/\(sample)") : try diagnosisInput(paste: "samples/\(sample)/paste.txt")
        let findings = Engine().runCorrelated(input.context)
        let report = Report(findings: findings, sources: input.context.sources, files: input.files)
            .displayingPaths(relativeTo: root.path)
        return (Diagnosis(findings: report.findings), report, input.notes)
    }

    /// `diagnose` on the pasted blobs (`samples/*/paste.txt`) and the scenario trees.
    func diagnose(_ sample: String, format: OutputFormat) throws -> String {
        let (diagnosis, report, notes) = try Self.diagnosis(sample)
        return DiagnosisReporter(format: format).render(diagnosis, report: report, header: notes)
    }

    func testDiagnosisOfPastesAndScenarioTreesMatchExpectedOutput() throws {
        let update = ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1"
        let samples = try Self.pastes() + Self.trees()
        XCTAssertGreaterThanOrEqual(try Self.trees().count, 8, "the acceptance asks for at least 8 scenario trees")
        for sample in samples {
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
            }
        }
    }

    func testHealthyScenarioTreesHaveNoErrorOrWarning() throws {
        let trees = try Self.trees()
        for sample in Self.healthyTrees {
            XCTAssertTrue(trees.contains(sample), "missing scenario tree samples/\(sample)")
            let (_, report, _) = try Self.diagnosis(sample)
            let loud = report.findings.filter { $0.severity >= .warning }
            XCTAssertEqual(loud.map { "\($0.ruleID) \($0.location.map { "\($0.file):\($0.line)" } ?? "")" }, [],
                           "samples/\(sample) is a canonical healthy setup")
        }
    }

    func testFailureScenarioTreesReportTheirFailure() throws {
        let expected: [String: Set<String>] = [
            "jitsi-server-tree": ["JLG801", "DPL906"],
            "jitsi-token-breakout-verification": ["JWT509", "JLG804"],
            "jitsi-token-lua-library-missing": ["LOG703", "JLG807"],
            "jitsi-token-options-in-component": ["JWT504", "JWT506", "JLG805", "JLG807"],
        ]
        for (sample, ids) in expected {
            let (_, report, _) = try Self.diagnosis(sample)
            XCTAssertTrue(ids.isSubset(of: Set(report.findings.map(\.ruleID))), "samples/\(sample): \(report.findings.map(\.ruleID))")
        }
    }

    /// The founding forum thread pasted as one blob: the first root cause is that the token
    /// never reached Prosody, shown with the allow_empty_token line and the log line.
    func testSeedThreadPasteNamesTheTokenNeverReachingProsodyFirst() throws {
        let (diagnosis, report, _) = try Self.diagnosis("forum-thread")
        let first = try XCTUnwrap(diagnosis.groups.first?.root)
        XCTAssertEqual(first.ruleID, "JLG801")
        let text = try String(contentsOf: Self.root.appendingPathComponent("samples/forum-thread/paste.txt"), encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        let places = ([first.location] + first.related.map(\.location)).compactMap { $0 }
        XCTAssertTrue(places.allSatisfy { $0.file.hasSuffix("samples/forum-thread/paste.txt") }, "\(places)")
        let quoted = places.map { lines[$0.line - 1] }
        XCTAssertTrue(quoted.contains { $0.contains("allow_empty_token = true") }, "config line missing: \(quoted)")
        XCTAssertTrue(quoted.contains { $0.contains("Session token: nil") }, "log line missing: \(quoted)")
        // The rest of the F1 chain is explained by it, not reported as separate causes.
        XCTAssertTrue(Set(["JLG802", "JLG803"]).isSubset(of: Set(diagnosis.groups[0].explained.map(\.ruleID))))
        XCTAssertFalse(report.findings.contains { $0.ruleID == "LUA001" }, "the lost brace is a paste artefact")
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
            // CFG117 depends on the length of the path the corpus sits under (a checkout detail).
            for finding in report.findings where finding.ruleID != "CFG117" {
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
