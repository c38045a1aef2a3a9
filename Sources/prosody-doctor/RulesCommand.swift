import ArgumentParser
import Doctor
import Reporting

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List every rule of the catalogue."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(help: "text or json.")
    var format: Format = .text

    func run() throws {
        let rules = RuleCatalogue.embedded.rules
        switch format {
        case .text:
            let width = rules.map(\.name.count).max() ?? 0
            for rule in rules {
                let name = rule.name.padding(toLength: width, withPad: " ", startingAt: 0)
                let severity = rule.severity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
                print("\(rule.id)  \(severity)  \(name)  \(rule.summary)")
            }
            print("\(rules.count) rules")
        case .json:
            print(JSONValue.array(rules.map(RuleJSON.encode)).rendered())
        }
    }
}

enum RuleJSON {
    static func encode(_ rule: RuleDescription) -> JSONValue {
        .object([
            ("id", .string(rule.id)),
            ("name", .string(rule.name)),
            ("severity", .string(rule.severity.rawValue)),
            ("category", .string(rule.category.rawValue)),
            ("summary", .string(rule.summary)),
            ("explanation", .string(rule.explanation)),
            ("fix", .string(rule.fix)),
            ("references", .array(rule.references.map { .string($0) })),
        ])
    }
}

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain a rule: why it matters, how to fix it, examples."
    )

    @Argument(help: "A rule id (JWT502) or name (empty-token-masks-missing-token).")
    var rule: String

    func run() throws {
        guard let rule = RuleCatalogue.embedded.rule(rule) else {
            throw ValidationError("no rule '\(self.rule)'; `prosody-doctor rules` lists them all")
        }
        print("\(rule.id) \(rule.name) (\(rule.severity.rawValue), \(rule.category.rawValue))\n")
        print(rule.summary + "\n")
        print(rule.explanation.trimmingTrailingNewlines + "\n")
        print("How to fix:\n" + indent(rule.fix) + "\n")
        for example in rule.examples.triggering {
            print("Raises it:\n" + indent(SecretMasking.maskText(example.config ?? example.log ?? "")))
        }
        for example in rule.examples.passing {
            print("Does not:\n" + indent(SecretMasking.maskText(example.config ?? example.log ?? "")))
        }
        if !rule.references.isEmpty {
            print("References:\n" + rule.references.map { "  " + $0 }.joined(separator: "\n"))
        }
    }

    private func indent(_ text: String) -> String {
        text.trimmingTrailingNewlines.split(separator: "\n", omittingEmptySubsequences: false)
            .map { "    " + $0 }.joined(separator: "\n") + "\n"
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var s = self
        while s.hasSuffix("\n") { s.removeLast() }
        return s
    }
}
