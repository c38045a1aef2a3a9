import ProsodyConfig

/// Which findings to keep: by id or id prefix (`JWT`, `CFG1`), and by severity.
public struct FindingFilter: Sendable {
    public var select: [String]
    public var ignore: [String]
    public var minimumSeverity: Severity
    /// Per-rule severity overrides (project config), applied before the severity filter.
    public var severityOverrides: [String: Severity]
    /// Rules ignored for findings about one host (project config), by nameprepped host name.
    public var hostIgnores: [String: [String]]

    public init(select: [String] = [], ignore: [String] = [], minimumSeverity: Severity = .hint,
                severityOverrides: [String: Severity] = [:], hostIgnores: [String: [String]] = [:]) {
        self.select = select
        self.ignore = ignore
        self.minimumSeverity = minimumSeverity
        self.severityOverrides = severityOverrides
        self.hostIgnores = hostIgnores
    }

    /// Applies severity overrides and per-host ignores; `host` names the section a finding is about.
    func adjusted(_ finding: Finding, host: (Finding) -> String?) -> Finding? {
        var finding = finding
        if let severity = severityOverrides[finding.ruleID] { finding.severity = severity }
        if !hostIgnores.isEmpty, let name = host(finding), let patterns = hostIgnores[name],
           patterns.contains(where: { finding.ruleID.uppercased().hasPrefix($0.uppercased()) || finding.ruleName == $0.lowercased() }) {
            return nil
        }
        return keeps(finding) ? finding : nil
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
        // The checks are independent: on a big input they run on two threads, their findings
        // joined in implementation order, as one after the other.
        let checks = implementations.compactMap { implementation in
            implementation.check.flatMap { check in catalogue.rule(implementation.id).map { (check, FindingFactory(rule: $0)) } }
        }
        let parallel = context.sources.texts.values.reduce(0) { $0 + $1.count } >= Engine.parallelInputSize
        var findings: [Finding] = SharedWork.map(checks.count, parallel: parallel) { index in checks[index].0(context, checks[index].1) }
            .flatMap { $0 }
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
        // Only per-host ignores ask which host a finding is about: index the model only then.
        let placement = filter.hostIgnores.isEmpty ? nil : FindingPlacement(context.configuration)
        return Engine.sorted(findings.compactMap { filter.adjusted($0, host: { placement?.section($0) }) })
    }

    /// From this many bytes of config and log text, the rules run on two threads (below it,
    /// starting the second thread costs more than it saves; measured with `make bench`).
    static let parallelInputSize = 1 << 20

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

/// Which section (host) a finding is about: the section of the assignment or
/// declaration at its primary location.
struct FindingPlacement {
    private var byLine: [String: [Int: String]] = [:]

    init(_ configuration: ProsodyConfiguration?) {
        guard let configuration else { return }
        for assignment in configuration.assignments {
            byLine[assignment.location.file, default: [:]][assignment.location.line] = assignment.section
        }
        for section in configuration.sections {
            for declaration in section.declarations {
                byLine[declaration.file, default: [:]][declaration.line] = section.name
            }
        }
    }

    func section(_ finding: Finding) -> String? {
        guard let location = finding.location else { return nil }
        return byLine[location.file]?[location.line]
    }
}
