import ProsodyConfig

/// LUA001 and CFG1xx: the shape of the config files, mostly straight from the
/// problems the loader met while evaluating them.
enum StructureRules {
    static let all: [RuleImplementation] = [
        fromProblems("LUA001") { kind in if case .syntaxError = kind { true } else { false } },
        RuleImplementation("CFG101", check: includeNotFound),
        fromProblems("CFG102") { kind in if case .includeCycle = kind { true } else { false } },
        fromProblems("CFG103", note: "first set here") { kind in if case .duplicateOption = kind { true } else { false } },
        fromProblems("CFG105") { kind in if case .bareIdentifierIsNil = kind { true } else { false } },
        fromProblems("CFG106", note: "first declared here") { kind in if case .hostComponentClash = kind { true } else { false } },
        fromProblems("CFG107", note: "first declared here") { kind in if case .duplicateComponent = kind { true } else { false } },
        fromProblems("CFG108") { kind in if case .byteOrderMarkOrShebang = kind { true } else { false } },
        fromProblems("CFG109") { kind in if case .optionReadBeforeSet = kind { true } else { false } },
        fromProblems("CFG110") { kind in if case .notText = kind { true } else { false } },
        fromProblems("CFG111") { kind in if case .unreadableFile = kind { true } else { false } },
        fromProblems("CFG112") { kind in if case .runtimeError = kind { true } else { false } },
        fromProblems("CFG113", confidence: .certain) { kind in if case .dynamic = kind { true } else { false } },
    ]

    /// A rule that reports every loader problem of one kind, with the loader's message.
    static func fromProblems(_ id: String, note: String = "related", confidence: Confidence = .certain,
                             matching: @escaping @Sendable (ConfigProblem.Kind) -> Bool) -> RuleImplementation {
        RuleImplementation(id) { context, factory in
            guard let configuration = context.configuration else { return [] }
            return configuration.problems.filter { matching($0.kind) }.map { problem in
                factory.make(problem.message, at: problem.location,
                             related: problem.related.map { RelatedLocation($0, note: note) },
                             confidence: confidence)
            }
        }
    }

    /// A missing file is fatal for Prosody; a pattern matching nothing is silent there,
    /// so it is reported one step lower.
    static func includeNotFound(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let configuration = context.configuration else { return [] }
        return configuration.problems.compactMap { problem in
            guard case .includeNotFound(let pattern) = problem.kind else { return nil }
            let isPattern = pattern.contains("*") || pattern.contains("?")
            return factory.make(problem.message, at: problem.location,
                                severity: isPattern ? .warning : .error)
        }
    }
}
