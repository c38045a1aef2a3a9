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

    var threshold: Severity? { Severity(rawValue: rawValue) }
}

/// One environment variable, read with getenv: `ProcessInfo.environment` copies the whole
/// environment into a dictionary on every read (it skips values that are not UTF-8; so does this).
private func environment(_ name: String) -> String? {
    getenv(name).flatMap { String(validatingCString: $0) }
}

struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: text (default on a terminal), concise (default otherwise), json, sarif, github (default under GitHub Actions), gitlab, checkstyle or junit.")
    var format: OutputFormat?

    @Option(name: .customLong("output"), help: ArgumentHelp("Also write FORMAT to PATH (repeatable), e.g. sarif=results.sarif.", valueName: "FORMAT=PATH"))
    var outputs: [String] = []

    @Option(help: "Colour: auto (honours NO_COLOR and FORCE_COLOR), always or never.")
    var color: ColorChoice = OutputSettings.defaultColor

    var settings: OutputSettings { OutputSettings(format: format, outputs: outputs, color: color) }
    func resolvedFormat(project: ProjectConfiguration) throws -> OutputFormat { try settings.resolvedFormat(project: project) }
    func extraOutputs() throws -> [(OutputFormat, String)] { try settings.extraOutputs() }
    var useColor: Bool { settings.useColor }
}

/// The output options as plain values: parsed by `OutputOptions`, or read by `QuickCheck`
/// (building ArgumentParser's property wrappers costs more than using them).
struct OutputSettings {
    static let defaultColor = ColorChoice.auto
    var format: OutputFormat? = nil
    var outputs: [String] = []
    var color: ColorChoice = OutputSettings.defaultColor

    var isTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    func resolvedFormat(project: ProjectConfiguration) throws -> OutputFormat {
        if let format { return format }
        if let name = environment("PROSODY_DOCTOR_FORMAT") ?? project.format {
            guard let f = OutputFormat(rawValue: name) else {
                throw ValidationError("unknown format '\(name)'; choose one of \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return f
        }
        if environment("GITHUB_ACTIONS") == "true" { return .github }
        return isTerminal ? .text : .concise
    }

    func extraOutputs() throws -> [(OutputFormat, String)] {
        try outputs.map { spec in
            let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let format = OutputFormat(rawValue: parts[0]), !parts[1].isEmpty else {
                throw ValidationError("--output takes FORMAT=PATH with FORMAT one of \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")); got '\(spec)'")
            }
            return (format, parts[1])
        }
    }

    var useColor: Bool {
        switch color {
        case .always: return true
        case .never: return false
        case .auto:
            if let noColor = environment("NO_COLOR"), !noColor.isEmpty { return false }
            if let force = environment("FORCE_COLOR"), !force.isEmpty, force != "0" { return true }
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
    var minSeverity: Severity = SelectionSettings.defaultMinSeverity

    @Option(help: "Exit 1 when a finding is at or above this severity: error (default), warning, info, hint or never.")
    var failOn: FailLevel?

    @Option(name: .customLong("prosody-version"), help: "Prosody release the config is for: 0.11, 0.12 (default) or 13.")
    var prosodyRelease: ProsodyRelease?

    @Flag(inversion: .prefixedNo, help: "Force the Jitsi Meet rules on or off (default: detected from the config).")
    var jitsi: Bool?

    @Flag(help: "Disregard `-- prosody-doctor:` comments in the checked files (central CI policy).")
    var ignoreInline = false

    @Option(name: .customLong("project-config"), help: "Project settings file (default: the nearest .prosody-doctor.yml above the first input).")
    var projectConfigPath: String?

    var settings: SelectionSettings {
        SelectionSettings(select: select, ignore: ignore, minSeverity: minSeverity, failOn: failOn, prosodyRelease: prosodyRelease,
                          jitsi: jitsi, ignoreInline: ignoreInline, projectConfigPath: projectConfigPath)
    }
}

/// The rule selection options as plain values (see `OutputSettings`).
struct SelectionSettings {
    static let defaultMinSeverity = Severity.hint
    var select: [String] = []
    var ignore: [String] = []
    var minSeverity: Severity = SelectionSettings.defaultMinSeverity
    var failOn: FailLevel? = nil
    var prosodyRelease: ProsodyRelease? = nil
    var jitsi: Bool? = nil
    var ignoreInline = false
    var projectConfigPath: String? = nil

    static func list(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Flags win over environment variables, which win over the project file.
    func filter(project: ProjectConfiguration) -> FindingFilter {
        let select = Self.list(self.select).nilIfEmpty ?? environment("PROSODY_DOCTOR_SELECT").map { Self.list([$0]) } ?? project.select
        let ignore = Self.list(self.ignore) + (environment("PROSODY_DOCTOR_IGNORE").map { Self.list([$0]) } ?? []) + project.ignore
        return FindingFilter(select: select, ignore: ignore, minimumSeverity: minSeverity,
                             severityOverrides: project.severityOverrides, hostIgnores: project.hostIgnores)
    }

    func release(project: ProjectConfiguration) throws -> ProsodyRelease {
        if let prosodyRelease { return prosodyRelease }
        if let value = environment("PROSODY_DOCTOR_PROSODY_VERSION") ?? project.prosodyVersion {
            guard let release = ProsodyRelease(rawValue: value) else { throw ValidationError("unknown Prosody version '\(value)'; use 0.11, 0.12 or 13") }
            return release
        }
        return .v0_12
    }

    func failLevel(project: ProjectConfiguration) throws -> FailLevel {
        if let failOn { return failOn }
        if let value = environment("PROSODY_DOCTOR_FAIL_ON") ?? project.failOn {
            guard let level = FailLevel(rawValue: value) else { throw ValidationError("unknown fail-on level '\(value)'") }
            return level
        }
        return .error
    }

    /// The project file named by the flag or PROSODY_DOCTOR_CONFIG, else found upward from `start`.
    func loadProject(startingAt start: String?) throws -> ProjectConfiguration {
        let explicit = projectConfigPath ?? environment("PROSODY_DOCTOR_CONFIG")
        guard let path = explicit ?? start.flatMap(ProjectConfiguration.find(from:)) else { return ProjectConfiguration() }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read project settings \(path)")
        }
        do {
            return try ProjectConfiguration.parse(String(decoding: data, as: UTF8.self), path: path,
                                                  knownRule: RuleCatalogue.embedded.knows)
        } catch let error as ProjectConfiguration.InvalidFile {
            throw ValidationError(error.description)
        }
    }
}

func exitStatus(for findings: [Finding], failLevel: FailLevel) -> Int32 {
    guard let threshold = failLevel.threshold else { return ExitStatus.clean }
    return findings.contains { $0.severity >= threshold } ? ExitStatus.findings : ExitStatus.clean
}

/// Writes via a temporary file and rename, so readers never see half a report.
func writeAtomically(_ text: String, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    do { try Data(text.utf8).write(to: url, options: .atomic) } catch {
        throw UserFacingError(message: "cannot write \(path): \(error.localizedDescription)", status: ExitStatus.unreadable)
    }
}

extension Array {
    var nilIfEmpty: Self? { isEmpty ? nil : self }
}
