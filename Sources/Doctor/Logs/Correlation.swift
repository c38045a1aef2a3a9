import Foundation
import ProsodyConfig

/// Config ↔ log correlation, as a post-pass over the engine's findings.
///
/// Log findings already point at the config line that causes them (related locations added by the log
/// rules when a config is present). This pass adjusts *config* findings by what the log shows:
///
/// | config rule | raised to certain when the log shows                       | lowered to possible when the log shows |
/// |-------------|------------------------------------------------------------|-----------------------------------------|
/// | JWT502 empty-token-masks-missing-token | tokenless joins (`Skipped room token verification`) or participants with `Session token: nil` | participants joining with a token and no tokenless join at all |
/// | JWT504 token-app-credentials-missing   | `'app_id' must not be empty` / `'app_secret' … must be specified` | the MUC token verifier started (`starting MUC token verifier app_id: …`) |
/// | JWT505 token-verification-missing      | participants joined without any token_verification line… (no raise) | token_verification lines (`Will verify token for user`) |
/// | JWT503 token-affiliation-missing       | —                                                          | token_affiliation lines (`affiliation: owner`, `skip affiliation`) |
/// | JWT501 guest-host-uses-token           | `'app_id' must not be empty` logged by that guest host     | — |
///
/// Only debug logs carry most of these lines, so absence alone never lowers a finding: only a line
/// that contradicts it does. Adjusted findings say so in their message.
public enum LogCorrelation {
    public struct Adjustment: Sendable {
        public var ruleID: String
        /// Facts that confirm the config finding (any one present → certain).
        public var confirmedBy: [String]
        /// Facts that contradict it (any present, and none confirming → possible).
        public var contradictedBy: [String]
    }

    public static let adjustments: [Adjustment] = [
        Adjustment(ruleID: "JWT502", confirmedBy: ["empty-token-join", "participant-token-nil"], contradictedBy: ["participant-token-present"]),
        Adjustment(ruleID: "JWT504", confirmedBy: ["token-app-id-empty", "token-secret-missing"], contradictedBy: ["token-verifier-started"]),
        Adjustment(ruleID: "JWT505", confirmedBy: [], contradictedBy: ["token-verify-attempt", "token-room-allowed"]),
        Adjustment(ruleID: "JWT503", confirmedBy: [], contradictedBy: ["token-affiliation", "affiliation-no-token"]),
        Adjustment(ruleID: "JWT501", confirmedBy: ["token-app-id-empty"], contradictedBy: []),
    ]

    /// Raises or lowers the confidence of config findings the log confirms or contradicts.
    public static func adjust(_ findings: [Finding], logs: LogAnalysis?) -> [Finding] {
        guard let logs else { return findings }
        let byRule = Dictionary(adjustments.map { ($0.ruleID, $0) }) { a, _ in a }
        return findings.map { finding in
            guard let a = byRule[finding.ruleID] else { return finding }
            var f = finding
            let confirming = a.confirmedBy.filter(logs.has)
            if !confirming.isEmpty {
                f.confidence = .certain
                let n = confirming.reduce(0) { $0 + logs.count($1) }
                f.message += " (confirmed by the log: \(n) \(confirming.joined(separator: "/")) line\(n == 1 ? "" : "s"))"
                if let ex = confirming.flatMap({ logs.groups($0) }).first?.firstExample {
                    f.related.append(RelatedLocation(ex.location, note: "the log shows it here"))
                }
            } else {
                let contradicting = a.contradictedBy.filter(logs.has)
                if !contradicting.isEmpty {
                    f.confidence = .possible
                    f.message += " (the log contradicts it: \(contradicting.joined(separator: "/")) seen)"
                    if let ex = contradicting.flatMap({ logs.groups($0) }).first?.firstExample {
                        f.related.append(RelatedLocation(ex.location, note: "the log shows otherwise here"))
                    }
                }
            }
            return f
        }
    }
}

extension Engine {
    /// `run`, then the config ↔ log correlation post-pass when the context has logs.
    public func runCorrelated(_ context: AnalysisContext, filter: FindingFilter = FindingFilter()) -> [Finding] {
        Engine.sorted(LogCorrelation.adjust(run(context, filter: filter), logs: context.logs))
    }
}
