import Foundation
import DeploymentFiles
import ProsodyConfig

/// Which Prosody the rules should assume (version-dependent rules read it).
public enum ProsodyRelease: String, Sendable, CaseIterable {
    case v0_11 = "0.11"
    case v0_12 = "0.12"
    case v13 = "13"
}

/// Everything the rules may look at. Rules never read files: all input is here.
public struct AnalysisContext: Sendable {
    public var configuration: ProsodyConfiguration?
    public var sources: SourceFiles
    public var prosodyRelease: ProsodyRelease
    /// True when the config looks like a Jitsi Meet deployment (or the user said so).
    public var isJitsi: Bool
    /// Permission facts of the loaded files, filled by the CLI (`FileFacts.gather`); empty when unknown.
    public var fileFacts: [String: FileFacts] = [:]
    /// Honour `-- prosody-doctor: ignore[...]` comments (off with `--ignore-inline`).
    public var inlineSuppressions: Bool = true
    /// Per-run memo of derived facts; copies of a context share it, which is safe
    /// because the inputs are never changed after the run starts.
    let derived = DerivedFacts()
    /// The files around Prosody (jicofo, config.js, nginx, certificates) when they were read;
    /// nil when only the Prosody config is checked (cross-file rules then say nothing).
    public var deployment: DeploymentSnapshot? = nil
    /// Facts read from Prosody logs (`check --log`, `logs`), nil when no log was given.
    public var logs: LogAnalysis? = nil

    public init(configuration: ProsodyConfiguration?, sources: SourceFiles = SourceFiles(),
                prosodyRelease: ProsodyRelease = .v0_12, isJitsi: Bool? = nil) {
        self.configuration = configuration
        self.sources = sources
        self.prosodyRelease = prosodyRelease
        self.isJitsi = isJitsi ?? configuration.map(JitsiDeployment.looksLikeJitsi) ?? false
    }
}

/// Facts several rules derive from the same context, computed once per run.
final class DerivedFacts: @unchecked Sendable {
    private let lock = NSLock()
    private var jitsiLayout: JitsiLayout??
    private var configFacts: ConfigFacts?

    func configFacts(_ make: () -> ConfigFacts) -> ConfigFacts {
        lock.lock()
        defer { lock.unlock() }
        if let cached = configFacts { return cached }
        let value = make()
        configFacts = value
        return value
    }

    func jitsiLayout(_ make: () -> JitsiLayout?) -> JitsiLayout? {
        lock.lock()
        defer { lock.unlock() }
        if let cached = jitsiLayout { return cached }
        let value = make()
        jitsiLayout = .some(value)
        return value
    }
}

extension AnalysisContext {
    /// The shared `ConfigFacts` of this run (its derived sets are computed once), nil without a configuration.
    var configFacts: ConfigFacts? {
        guard let configuration else { return nil }
        return derived.configFacts { ConfigFacts(configuration, sources: sources) }
    }

    /// The Jitsi layout (token hosts, main MUC, module sets), or nil when the config is not Jitsi.
    public var jitsiLayout: JitsiLayout? {
        derived.jitsiLayout {
            guard isJitsi, let configuration else { return nil }
            return JitsiLayout(configuration)
        }
    }
}

/// A check bound to a catalogue id. One family's checks live in one file under `Rules/`.
/// Most checks look at the context; a few (`review`) look at what the other rules
/// found, after inline suppressions were applied.
public struct RuleImplementation: Sendable {
    public var id: String
    public var check: (@Sendable (AnalysisContext, FindingFactory) -> [Finding])?
    public var review: (@Sendable (AnalysisContext, ReviewInput, FindingFactory) -> [Finding])?

    public init(_ id: String, check: @escaping @Sendable (AnalysisContext, FindingFactory) -> [Finding]) {
        self.id = id
        self.check = check
    }

    public init(_ id: String, review: @escaping @Sendable (AnalysisContext, ReviewInput, FindingFactory) -> [Finding]) {
        self.id = id
        self.review = review
    }
}

/// What review rules see: the findings kept after suppression, and the directives.
public struct ReviewInput: Sendable {
    public var findings: [Finding]
    public var suppressions: SuppressionSet
    public var unusedSuppressions: [SuppressionDirective]
}

/// Builds findings with the catalogue's name, severity and category for one rule id.
public struct FindingFactory: Sendable {
    public let rule: RuleDescription

    public func make(_ message: String, at location: SourceLocation?, related: [RelatedLocation] = [],
                     fix: FixSuggestion? = nil, confidence: Confidence = .certain,
                     severity: Severity? = nil) -> Finding {
        Finding(ruleID: rule.id, ruleName: rule.name, severity: severity ?? rule.severity, category: rule.category,
                message: message, location: location, related: related,
                fix: fix ?? FixSuggestion(ASCIIText.firstLine(rule.fix)),
                confidence: confidence)
    }
}
