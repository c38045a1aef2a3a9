import Doctor
import Foundation
import ProsodyConfig

/// A record of accepted findings (`--write-baseline`), matched by fingerprint —
/// rule, file and normalised line content, not line numbers — so later runs
/// (`--baseline`) report only new findings.
public struct Baseline: Sendable, Equatable {
    public static let schema = "prosody-doctor.baseline/1"
    public var fingerprints: Set<String>

    public init(fingerprints: Set<String>) { self.fingerprints = fingerprints }

    public struct InvalidFile: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    public static func make(findings: [Finding], sources: SourceFiles) -> (baseline: Baseline, document: String) {
        let prints = Fingerprint.of(findings, sources: sources)
        let entries: [JSONValue] = zip(findings, prints)
            .sorted { $0.1 < $1.1 }
            .map { finding, print in
                .object([("fingerprint", .string(print)), ("rule", .string(finding.ruleID)),
                         ("file", .string(finding.location?.file ?? "")),
                         ("message", .string(SecretMasking.maskLine(finding.message)))])
            }
        let document: JSONValue = .object([("schema", .string(schema)), ("findings", .array(entries))])
        return (Baseline(fingerprints: Set(prints)), document.rendered() + "\n")
    }

    public static func parse(_ data: Data, path: String) throws -> Baseline {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw InvalidFile(message: "\(path): not a JSON object (expected a file written by --write-baseline)")
        }
        guard object["schema"] as? String == schema else {
            throw InvalidFile(message: "\(path): schema is not \(schema)")
        }
        guard let findings = object["findings"] as? [[String: Any]] else {
            throw InvalidFile(message: "\(path): 'findings' must be a list")
        }
        var prints = Set<String>()
        for (index, entry) in findings.enumerated() {
            guard let print = entry["fingerprint"] as? String, !print.isEmpty else {
                throw InvalidFile(message: "\(path): finding \(index + 1) has no fingerprint")
            }
            prints.insert(print)
        }
        return Baseline(fingerprints: prints)
    }

    /// The findings not recorded in the baseline.
    public func newFindings(_ findings: [Finding], sources: SourceFiles) -> [Finding] {
        zip(findings, Fingerprint.of(findings, sources: sources)).filter { !fingerprints.contains($0.1) }.map(\.0)
    }
}
