import Foundation
import Yams

/// One rule as described in `rules/*.yml`: the data half of a rule. The check
/// itself is a `RuleImplementation` bound by `id`.
public struct RuleDescription: Sendable, Codable {
    public var id: String
    public var name: String
    public var severity: Severity
    public var category: RuleCategory
    public var summary: String
    public var explanation: String
    public var fix: String
    public var references: [String]
    public var applies: Applicability?
    /// The triggering and passing examples. A rule compiled into the binary makes them when
    /// asked (only `explain` and the tests read them); a rule read from YAML holds its own.
    public var examples: Examples {
        get { storedExamples ?? embeddedRuleExamples(id) }
        set { storedExamples = newValue }
    }
    private var storedExamples: Examples?
    /// The file the rule comes from (`jitsi-token` for rules/jitsi-token.yml).
    public var family: String?

    private enum CodingKeys: String, CodingKey {
        case id, name, severity, category, summary, explanation, fix, references, applies
        case storedExamples = "examples"
        case family
    }

    public init(id: String, name: String, severity: Severity, category: RuleCategory, summary: String,
                explanation: String, fix: String, references: [String], applies: Applicability?,
                examples: Examples, family: String?) {
        self.init(id: id, name: name, severity: severity, category: category, summary: summary,
                  explanation: explanation, fix: fix, references: references, applies: applies, family: family)
        storedExamples = examples
    }

    /// A rule compiled into the binary (its examples come from `embeddedRuleExamples`).
    init(id: String, name: String, severity: Severity, category: RuleCategory, summary: String,
         explanation: String, fix: String, references: [String], applies: Applicability?,
         embeddedExamples _: String, family: String?) {
        self.init(id: id, name: name, severity: severity, category: category, summary: summary,
                  explanation: explanation, fix: fix, references: references, applies: applies, family: family)
    }

    private init(id: String, name: String, severity: Severity, category: RuleCategory, summary: String,
                 explanation: String, fix: String, references: [String], applies: Applicability?, family: String?) {
        self.id = id
        self.name = name
        self.severity = severity
        self.category = category
        self.summary = summary
        self.explanation = explanation
        self.fix = fix
        self.references = references
        self.applies = applies
        self.family = family
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        severity = try container.decode(Severity.self, forKey: .severity)
        category = try container.decode(RuleCategory.self, forKey: .category)
        summary = try container.decode(String.self, forKey: .summary)
        explanation = try container.decode(String.self, forKey: .explanation)
        fix = try container.decode(String.self, forKey: .fix)
        references = try container.decode([String].self, forKey: .references)
        applies = try container.decodeIfPresent(Applicability.self, forKey: .applies)
        // Required, as before: a YAML rule without examples is an invalid file.
        storedExamples = try container.decode(Examples.self, forKey: .storedExamples)
        family = try container.decodeIfPresent(String.self, forKey: .family)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(severity, forKey: .severity)
        try container.encode(category, forKey: .category)
        try container.encode(summary, forKey: .summary)
        try container.encode(explanation, forKey: .explanation)
        try container.encode(fix, forKey: .fix)
        try container.encode(references, forKey: .references)
        try container.encodeIfPresent(applies, forKey: .applies)
        try container.encode(examples, forKey: .storedExamples)
        try container.encodeIfPresent(family, forKey: .family)
    }

    public struct Applicability: Sendable, Codable {
        /// e.g. ">=0.12", "any"
        public var prosody: String?
        public var jitsi: Bool?
        /// Section kinds the rule looks at: global, VirtualHost, Component, log.
        public var sections: [String]?
    }

    public struct Examples: Sendable, Codable {
        public var triggering: [Example]
        public var passing: [Example]
    }

    /// A config (and/or log) snippet. `files` holds extra files next to the main
    /// config (for Include examples); `also` lists other rules it may raise.
    public struct Example: Sendable, Codable {
        public var config: String?
        public var log: String?
        public var files: [String: String]?
        public var also: [String]?
        public var note: String?
        /// Files around Prosody for cross-file rules (rules/deployment.yml).
        public var deployment: DeploymentExample? = nil
        /// The main config's file name (default `prosody.cfg.lua`).
        public var main: String? = nil
    }

    /// jicofo/config.js/nginx snippets written next to the config, and the clock
    /// certificate validity is judged against (ISO 8601, e.g. `2031-01-01T00:00:00Z`).
    public struct DeploymentExample: Sendable, Codable {
        public var jicofo: String?
        public var properties: String?
        public var configjs: String?
        public var nginx: String?
        public var now: String?
    }
}

public enum RuleCatalogueError: Error, CustomStringConvertible {
    case invalidFile(name: String, detail: String)
    case duplicateID(String)

    public var description: String {
        switch self {
        case .invalidFile(let name, let detail): "rules/\(name): \(detail)"
        case .duplicateID(let id): "rule id \(id) is defined twice"
        }
    }
}

/// The whole catalogue, read from the YAML files embedded at build time.
public struct RuleCatalogue: Sendable {
    public var rules: [RuleDescription]

    public init(rules: [RuleDescription]) { self.rules = rules }

    /// The catalogue compiled into the binary from `rules/*.yml` (a broken file fails the build).
    /// EmbedRulesTool writes the rules sorted by id (the order `init(files:)` gives), so they
    /// are taken as they are (a test checks the order).
    public static let embedded = RuleCatalogue(rules: embeddedRules)

    public init(files: [(name: String, data: Data)]) throws {
        var rules: [RuleDescription] = []
        var seen = Set<String>()
        for file in files where file.name != "log-signatures.yml" {
            let text = String(decoding: file.data, as: UTF8.self)
            let family: RuleFamilyFile
            do { family = try YAMLDecoder().decode(RuleFamilyFile.self, from: text) }
            catch { throw RuleCatalogueError.invalidFile(name: file.name, detail: "\(error)") }
            for var rule in family.rules {
                rule.family = (file.name as NSString).deletingPathExtension
                guard seen.insert(rule.id).inserted else { throw RuleCatalogueError.duplicateID(rule.id) }
                rules.append(rule)
            }
        }
        self.rules = rules.sorted { $0.id < $1.id }
    }

    /// Lookup by id is on the hot path of every finding.
    private static let index: [String: Int] = Dictionary(embedded.rules.enumerated().map { ($1.id, $0) }) { a, _ in a }

    /// By id (`JWT502`) or name (`empty-token-masks-missing-token`), case-insensitive.
    public func rule(_ idOrName: String) -> RuleDescription? {
        if let i = RuleCatalogue.index[idOrName], i < rules.count, rules[i].id == idOrName { return rules[i] }
        let key = idOrName.lowercased()
        return rules.first { $0.id.lowercased() == key || $0.name == key }
    }

    /// True for a rule id, a rule name, or a prefix of at least one id (`JWT`, `CFG1`).
    public func knows(_ pattern: String) -> Bool {
        let upper = pattern.uppercased()
        return rules.contains { $0.id.hasPrefix(upper) || $0.name == pattern.lowercased() }
    }

    /// The raw embedded text of a file in `rules/` (e.g. the log signatures).
    public static func embeddedFile(named name: String) -> String? {
        embeddedRuleFiles.first { $0.name == name }
            .flatMap { Data(base64Encoded: $0.base64) }
            .map { String(decoding: $0, as: UTF8.self) }
    }
}

/// The layout of one `rules/<family>.yml` file.
struct RuleFamilyFile: Codable {
    var family: String
    var description: String?
    var rules: [RuleDescription]
}
