import ProsodyConfig

/// Which findings to keep: by id or id prefix (`JWT`, `CFG1`), and by severity.
public struct FindingFilter: Sendable {
    public var select: [String]
    public var ignore: [String]
    public var minimumSeverity: Severity

    public init(select: [String] = [], ignore: [String] = [], minimumSeverity: Severity = .hint) {
        self.select = select
        self.ignore = ignore
        self.minimumSeverity = minimumSeverity
    }

    public func keeps(_ finding: Finding) -> Bool {
        func matches(_ pattern: String) -> Bool {
            let p = pattern.uppercased()
            return finding.ruleID.uppercased().hasPrefix(p) || finding.ruleName == pattern.lowercased()
        }
        if !select.isEmpty && !select.contains(where: matches) { return false }
        if ignore.contains(where: matches) { return false }
        return finding.severity >= minimumSeverity
    }
}

public enum EngineError: Error, CustomStringConvertible {
    case unboundRules(catalogueOnly: [String], implementationOnly: [String])
    public var description: String {
        switch self {
        case .unboundRules(let c, let i):
            "rules without implementation: \(c.joined(separator: ", ")); implementations without catalogue entry: \(i.joined(separator: ", "))"
        }
    }
}

/// Runs every rule implementation over an analysis context.
public struct Engine: Sendable {
    public let catalogue: RuleCatalogue
    public let implementations: [RuleImplementation]

    public init(catalogue: RuleCatalogue = .embedded, implementations: [RuleImplementation] = RuleRegistry.all) {
        self.catalogue = catalogue
        self.implementations = implementations
    }

    /// Catalogue ids with no implementation, and implementations with no catalogue entry.
    public func unboundRules() -> (catalogueOnly: [String], implementationOnly: [String]) {
        let implemented = Set(implementations.map(\.id))
        let described = Set(catalogue.rules.map(\.id))
        return (described.subtracting(implemented).sorted(), implemented.subtracting(described).sorted())
    }

    public func run(_ context: AnalysisContext, filter: FindingFilter = FindingFilter()) -> [Finding] {
        var findings: [Finding] = []
        for implementation in implementations {
            guard let check = implementation.check, let rule = catalogue.rule(implementation.id) else { continue }
            findings += check(context, FindingFactory(rule: rule))
        }
        var suppressions = SuppressionSet(directives: [], malformed: [])
        var unused: [SuppressionDirective] = []
        if context.inlineSuppressions {
            suppressions = SuppressionSet.parse(context.sources, knownRule: catalogue.knows)
            (findings, unused) = suppressions.apply(to: findings)
        }
        let input = ReviewInput(findings: findings, suppressions: suppressions, unusedSuppressions: unused)
        for implementation in implementations {
            guard let review = implementation.review, let rule = catalogue.rule(implementation.id) else { continue }
            findings += review(context, input, FindingFactory(rule: rule))
        }
        return Engine.sorted(findings.filter(filter.keeps))
    }

    /// File, line, column, then id: a stable order for every reporter.
    public static func sorted(_ findings: [Finding]) -> [Finding] {
        findings.sorted { a, b in
            let la = a.location, lb = b.location
            if la?.file != lb?.file { return (la?.file ?? "") < (lb?.file ?? "") }
            if la?.line != lb?.line { return (la?.line ?? 0) < (lb?.line ?? 0) }
            if la?.column != lb?.column { return (la?.column ?? 0) < (lb?.column ?? 0) }
            return a.ruleID < b.ruleID
        }
    }
}
