import Foundation
import Yams

// Usage: EmbedRulesTool OUTPUT.swift INPUT.yml...
// Compiles the rule catalogue (every rules/*.yml file with a top-level `rules:` list)
// into Swift values, so the binary starts without parsing YAML and a broken
// catalogue fails the build with the file's name. Every file is also embedded as
// text (base64) for data read at run time, such as log signatures.

struct Family: Decodable {
    var rules: [Rule]
}

struct Rule: Decodable {
    var id: String
    var name: String
    var severity: String
    var category: String
    var summary: String
    var explanation: String
    var fix: String
    var references: [String]
    var applies: Applies?
    var examples: Examples

    struct Applies: Decodable {
        var prosody: String?
        var jitsi: Bool?
        var sections: [String]?
    }

    struct Examples: Decodable {
        var triggering: [Example]
        var passing: [Example]
    }

    struct Example: Decodable {
        var config: String?
        var log: String?
        var files: [String: String]?
        var also: [String]?
        var note: String?
        var deployment: DeploymentExample?
        var main: String?
    }

    struct DeploymentExample: Decodable {
        var jicofo: String?
        var properties: String?
        var configjs: String?
        var nginx: String?
        var now: String?
    }
}

func literal(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0xFEFF:
            out += "\\u{\(String(scalar.value, radix: 16))}"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

func literal(_ text: String?) -> String { text.map { literal($0) } ?? "nil" }
func literal(_ list: [String]) -> String { "[" + list.map { literal($0) }.joined(separator: ", ") + "]" }
func literal(_ list: [String]?) -> String { list.map { literal($0) } ?? "nil" }

func example(_ e: Rule.Example) -> String {
    let files = e.files.map { dict in
        "[" + (dict.isEmpty ? ":" : dict.keys.sorted().map { "\(literal($0)): \(literal(dict[$0]!))" }.joined(separator: ", ")) + "]"
    } ?? "nil"
    let deployment = e.deployment.map { d in
        "RuleDescription.DeploymentExample(jicofo: \(literal(d.jicofo)), properties: \(literal(d.properties)), configjs: \(literal(d.configjs)), nginx: \(literal(d.nginx)), now: \(literal(d.now)))"
    } ?? "nil"
    return "RuleDescription.Example(config: \(literal(e.config)), log: \(literal(e.log)), files: \(files), also: \(literal(e.also)), note: \(literal(e.note)), deployment: \(deployment), main: \(literal(e.main)))"
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    exit(1)
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let outputPath = arguments.first else { fail("usage: EmbedRulesTool OUTPUT INPUT...") }

// By id, the order RuleCatalogue.embedded keeps them in (its sort then has nothing to move).
// The examples are only read by `explain` and the tests: they are made on demand, by id,
// so that a check does not build hundreds of example values it never looks at.
var rulesSource: [(id: String, source: String, examples: String)] = []
var filesSource: [String] = []
for path in arguments.dropFirst() {
    let url = URL(fileURLWithPath: path)
    let data: Data
    do { data = try Data(contentsOf: url) } catch { fail("\(path): \(error)") }
    let name = url.lastPathComponent
    filesSource.append("    (name: \(literal(name)), base64: \(literal(data.base64EncodedString()))),")
    let text = String(decoding: data, as: UTF8.self)
    guard let node = try? Yams.compose(yaml: text), node.mapping?["rules"] != nil else { continue }
    let family: Family
    do { family = try YAMLDecoder().decode(Family.self, from: text) } catch { fail("\(path): \(error)") }
    for rule in family.rules {
        let applies = rule.applies.map {
            "RuleDescription.Applicability(prosody: \(literal($0.prosody)), jitsi: \($0.jitsi.map(String.init) ?? "nil"), sections: \(literal($0.sections)))"
        } ?? "nil"
        guard ["error", "warning", "info", "hint"].contains(rule.severity) else { fail("\(path): \(rule.id): unknown severity \(rule.severity)") }
        guard ["correctness", "security", "deprecation", "performance", "style"].contains(rule.category) else {
            fail("\(path): \(rule.id): unknown category \(rule.category)")
        }
        rulesSource.append((rule.id, """
            RuleDescription(id: \(literal(rule.id)), name: \(literal(rule.name)), severity: .\(rule.severity), \
        category: .\(rule.category), summary: \(literal(rule.summary)), explanation: \(literal(rule.explanation)), \
        fix: \(literal(rule.fix)), references: \(literal(rule.references)), applies: \(applies), \
        embeddedExamples: \(literal(rule.id)), family: \(literal(url.deletingPathExtension().lastPathComponent))),
        """, """
            case \(literal(rule.id)): return RuleDescription.Examples(triggering: [\(rule.examples.triggering.map(example).joined(separator: ", "))], \
        passing: [\(rule.examples.passing.map(example).joined(separator: ", "))])
        """))
    }
}

var source = "// Generated by EmbedRulesTool from rules/*.yml. Do not edit.\n\n"
rulesSource.sort { $0.id < $1.id }
source += "let embeddedRules: [RuleDescription] = [\n" + rulesSource.map(\.source).joined(separator: "\n") + "\n]\n\n"
source += "/// The examples of an embedded rule, by id.\nfunc embeddedRuleExamples(_ id: String) -> RuleDescription.Examples {\n"
    + "    switch id {\n" + rulesSource.map(\.examples).joined(separator: "\n")
    + "\n    default: return RuleDescription.Examples(triggering: [], passing: [])\n    }\n}\n\n"
source += "let embeddedRuleFiles: [(name: String, base64: String)] = [\n" + filesSource.joined(separator: "\n") + "\n]\n"
let output = URL(fileURLWithPath: outputPath)
if (try? String(contentsOf: output, encoding: .utf8)) != source {
    do { try source.write(to: output, atomically: true, encoding: .utf8) } catch { fail("\(outputPath): \(error)") }
}
