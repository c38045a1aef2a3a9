/// SUP001/SUP002: the inline suppression comments themselves.
enum SuppressionRules {
    static let all: [RuleImplementation] = [
        RuleImplementation("SUP001") { context, factory in
            guard context.inlineSuppressions else { return [] }
            let set = SuppressionSet.parse(context.sources, knownRule: RuleCatalogue.embedded.knows)
            return set.malformed.map { factory.make("Malformed prosody-doctor directive: \($0.problem)", at: $0.location) }
        },
        RuleImplementation("SUP002", review: { _, input, factory in
            input.unusedSuppressions.map { directive in
                let what = directive.rules.joined(separator: ", ")
                return factory.make("This \(directive.kind.rawValue)[\(what)] suppresses nothing: no \(what) finding on the lines it covers",
                                    at: directive.location)
            }
        }),
    ]
}
