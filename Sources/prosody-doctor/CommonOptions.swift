import ArgumentParser
import Doctor
import Foundation
import Reporting

extension OutputFormat: ExpressibleByArgument {}
extension Severity: ExpressibleByArgument {}
extension ProsodyRelease: ExpressibleByArgument {}

enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}

enum FailLevel: String, ExpressibleByArgument, CaseIterable {
    case error, warning, info, hint, never
}

struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: text (default on a terminal), concise (default otherwise) or json.")
    var format: OutputFormat?

    @Option(help: "Colour: auto (honours NO_COLOR and FORCE_COLOR), always or never.")
    var color: ColorChoice = .auto

    var isTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    var resolvedFormat: OutputFormat {
        if let format { return format }
        if let name = ProcessInfo.processInfo.environment["PROSODY_DOCTOR_FORMAT"], let f = OutputFormat(rawValue: name) { return f }
        return isTerminal ? .text : .concise
    }

    var useColor: Bool {
        switch color {
        case .always: return true
        case .never: return false
        case .auto:
            let env = ProcessInfo.processInfo.environment
            if let noColor = env["NO_COLOR"], !noColor.isEmpty { return false }
            if let force = env["FORCE_COLOR"], !force.isEmpty, force != "0" { return true }
            return isTerminal
        }
    }
}

struct SelectionOptions: ParsableArguments {
    @Option(help: "Only these rules: ids, id prefixes (JWT, CFG1) or names; comma-separated, repeatable.")
    var select: [String] = []

    @Option(help: "Skip these rules: ids, id prefixes or names; comma-separated, repeatable.")
    var ignore: [String] = []

    @Option(help: "Hide findings below this severity (error, warning, info, hint).")
    var minSeverity: Severity = .hint

    @Option(help: "Exit 1 when a finding is at or above this severity (error, warning, info, hint, never).")
    var failOn: FailLevel = .error

    @Option(name: .customLong("prosody-version"), help: "Prosody release the config is for: 0.11, 0.12 or 13.")
    var prosodyRelease: ProsodyRelease = .v0_12

    var filter: FindingFilter {
        func split(_ values: [String]) -> [String] {
            values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        return FindingFilter(select: split(select), ignore: split(ignore), minimumSeverity: minSeverity)
    }

    func exitStatus(for findings: [Finding]) -> Int32 {
        guard let threshold = Severity(rawValue: failOn.rawValue) else { return ExitStatus.clean }
        return findings.contains { $0.severity >= threshold } ? ExitStatus.findings : ExitStatus.clean
    }
}
