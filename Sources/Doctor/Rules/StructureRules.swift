import LuaSyntax
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
        RuleImplementation("CFG112", check: loadErrors),
        fromProblems("CFG113", confidence: .certain) { kind in if case .dynamic = kind { true } else { false } },
        RuleImplementation("CFG104", check: optionAfterComponent),
        RuleImplementation("CFG114", check: mainFileNameNotLua),
        fromProblems("CFG115") { kind in if case .invalidHostName = kind { true } else { false } },
        fromProblems("CFG116") { kind in if case .evaluationLimit = kind { true } else { false } },
        fromProblems("CFG117") { kind in if case .longPathWarningCrash = kind { true } else { false } },
    ]

    /// An option indented under a VirtualHost header (perhaps one commented out) that
    /// Prosody files under the Component declared before it.
    static func optionAfterComponent(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let configuration = context.configuration else { return [] }
        var findings: [Finding] = []
        for assignment in configuration.assignments where !assignment.viaTableForm {
            guard let visual = assignment.visualSection, visual != assignment.section,
                  let actual = configuration.section(named: assignment.section), actual.componentModule != nil
            else { continue }
            let visualIsHost = configuration.section(named: visual)?.isVirtualHost ?? true
            guard visualIsHost else { continue }
            let declared = configuration.section(named: visual) != nil
            let header = declared ? "VirtualHost \"\(visual)\"" : "the commented-out VirtualHost \"\(visual)\""
            var related = actual.declarations.prefix(1).map { RelatedLocation($0, note: "Component \"\(actual.name)\" declared here; the option lands in it") }
            if let host = configuration.section(named: visual), let declaration = host.declarations.first {
                related.append(RelatedLocation(declaration, note: "VirtualHost \"\(visual)\" is declared here"))
            }
            findings.append(factory.make(
                "'\(assignment.name)' is indented under \(header) but Prosody files it under Component \"\(actual.name)\" (the last section opened before it); the VirtualHost never gets it",
                at: assignment.location, related: related, confidence: declared ? .certain : .likely))
        }
        return findings
    }

    /// Prosody stops at the first runtime error; the evaluator goes on, so the same
    /// error repeated (every `Lua.os.getenv` of a config written for 13) is reported once
    /// per file, with the other places as related locations.
    static func loadErrors(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let configuration = context.configuration else { return [] }
        var groups: [(key: String, problems: [ConfigProblem])] = []
        var index: [String: Int] = [:]
        for problem in configuration.problems {
            guard case .runtimeError = problem.kind else { continue }
            let key = (problem.location?.file ?? "") + "\u{0}" + problem.message
            if let i = index[key] { groups[i].problems.append(problem) } else {
                index[key] = groups.count
                groups.append((key, [problem]))
            }
        }
        return groups.map { group in
            let first = group.problems[0]
            var message = first.message
            if group.problems.count > 1 { message += " (and \(group.problems.count - 1) more place\(group.problems.count == 2 ? "" : "s") in this file)" }
            if first.message.contains("global 'Lua')") || first.message.contains("global 'FileContents')")
                || first.message.contains("global 'FileLine')") || first.message.contains("global 'FileLines')")
                || first.message.contains("global 'Credential')") {
                message += "; this API exists only in Prosody 13: if the config is for 13, check it with --prosody-version 13"
            }
            let related = (first.related + group.problems.dropFirst().prefix(5).compactMap(\.location))
                .map { RelatedLocation($0, note: "same error") }
            return factory.make(message, at: first.location, related: related)
        }
    }

    /// Prosody picks the config parser from the main file's extension.
    static func mainFileNameNotLua(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let configuration = context.configuration else { return [] }
        return configuration.problems.compactMap { problem in
            guard case .noParser = problem.kind else { return nil }
            let file = configuration.mainFile.isEmpty ? (configuration.files.last ?? "") : configuration.mainFile
            let start = SourcePosition(offset: 0, line: 1, column: 1)
            return factory.make(problem.message,
                                at: problem.location ?? SourceLocation(file: file, range: SourceRange(start: start, end: start)))
        }
    }

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
            // Prosody fails on a missing file or directory; a pattern matching nothing is silent.
            _ = pattern
            return factory.make(problem.message, at: problem.location,
                                severity: problem.prosodyWouldFail ? .error : .warning)
        }
    }
}
