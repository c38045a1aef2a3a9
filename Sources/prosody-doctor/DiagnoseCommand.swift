import ArgumentParser
import DeploymentFiles
import Doctor
import Foundation
import PasteAnalysis
import ProsodyConfig
import Reporting

struct DiagnoseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagnose",
        abstract: "One-shot diagnosis: of this server (no argument), of a copied tree (--root), or of a pasted blob (FILE or -).",
        discussion: """
        With a FILE or -, the input is a paste that may mix config, log, `prosodyctl about`
        output and prose: each part is analysed and every finding points at the line of the
        paste. The report lists root causes first, each with the findings it explains,
        then the rest by severity. Use --format markdown for a reply to paste into a forum.
        """
    )

    @Argument(help: "A pasted blob (file, or - for standard input). Without it, the installation is discovered.")
    var paste: String?

    @Option(help: "Run the discovery under this directory instead of / (for copied trees).")
    var root: String?

    @OptionGroup var output: OutputOptions

    @Option(name: .customLong("prosody-version"), help: "Prosody release (default: read from the paste or the installation, else 0.12).")
    var prosodyRelease: ProsodyRelease?

    func run() throws {
        let resolvedFormat = try output.resolvedFormat(project: ProjectConfiguration())
        let result: DiagnosisInput
        if let paste {
            if root != nil { throw ValidationError("--root discovers an installation; it does not go with a pasted blob") }
            result = try PasteDiagnosis.load(paste, release: prosodyRelease)
        } else {
            result = try InstallationDiagnosis.load(root: root, release: prosodyRelease)
        }
        let findings = Engine().runCorrelated(result.context)
        let report = Report(findings: findings, sources: result.context.sources, files: result.files)
            .displayingPaths(relativeTo: FileManager.default.currentDirectoryPath)
        let diagnosis = Diagnosis(findings: report.findings)
        print(DiagnosisReporter(format: resolvedFormat, color: output.useColor && resolvedFormat == .text)
            .render(diagnosis, report: report, header: result.notes), terminator: "")
        for (extraFormat, path) in try output.extraOutputs() {
            try writeAtomically(DiagnosisReporter(format: extraFormat).render(diagnosis, report: report, header: result.notes), to: path)
        }
        throw ExitCode(exitStatus(for: findings, failLevel: .error))
    }
}

struct DiagnosisInput {
    var context: AnalysisContext
    var files: [String]
    var notes: [String]
}

enum InstallationDiagnosis {
    /// Finds Prosody's config (prosodyctl about, else /etc/prosody/prosody.cfg.lua), the
    /// Jitsi files around it and the logs, under `root` (default /).
    static func load(root: String?, release: ProsodyRelease?) throws -> DiagnosisInput {
        let base = root ?? "/"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: base, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw UserFacingError(message: "\(base): not a directory", status: ExitStatus.unreadable)
        }
        var discovered = DeploymentDiscovery.discover(root: base)
        var notes: [String] = []
        if discovered.prosodyConfig == nil, root == nil, let fromAbout = prosodyctlConfigPath() {
            discovered.prosodyConfig = fromAbout
        }
        guard let configPath = discovered.prosodyConfig else {
            throw UserFacingError(message: "no Prosody config found under \(base) (looked for etc/prosody/prosody.cfg.lua and asked prosodyctl about); pass a config with `prosody-doctor check PATH`",
                                  status: ExitStatus.unreadable)
        }
        let loaded = ConfigLoader().load(path: configPath)
        notes.append("Prosody config: \(configPath) (\(loaded.configuration.files.count) file\(loaded.configuration.files.count == 1 ? "" : "s") loaded)")
        var context = AnalysisContext(configuration: loaded.configuration, sources: loaded.sources,
                                      prosodyRelease: release ?? .v0_12)
        let snapshot = DeploymentSnapshot.load(files: discovered,
                                               certificatePaths: CertificateReferences.paths(in: loaded.configuration))
        context.deployment = snapshot
        context.fileFacts = FileFacts.gather(for: loaded.configuration.files)
        notes += snapshot.summary
        // The other files' texts, so findings on them show their lines (secrets masked on output).
        let others = [discovered.jicofoConf, discovered.jicofoProperties, discovered.jicofoEnvironment].compactMap { $0 }
            + discovered.configJS + discovered.nginxSites
        for path in others where context.sources.texts[path] == nil {
            if let data = FileManager.default.contents(atPath: path), data.count < 4 << 20 {
                context.sources.texts[path] = Array(data)
            }
        }
        if !discovered.prosodyLogs.isEmpty {
            notes.append("Prosody logs found: \(discovered.prosodyLogs.joined(separator: ", "))")
        }
        return DiagnosisInput(context: context, files: loaded.configuration.files, notes: notes)
    }

    /// `prosodyctl about` prints `Config directory: /etc/prosody/`.
    static func prosodyctlConfigPath() -> String? {
        guard let output = run(["prosodyctl", "about"]) else { return nil }
        for line in output.split(separator: "\n") where line.hasPrefix("Config directory:") {
            let directory = line.dropFirst("Config directory:".count).trimmingCharacters(in: .whitespaces)
            let path = (directory as NSString).appendingPathComponent("prosody.cfg.lua")
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        return nil
    }

    static func run(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
    }
}

enum PasteDiagnosis {
    /// Rules about files on disk mean nothing for a paste: its Includes are not there.
    static let diskRules: Set<String> = ["CFG101", "CFG102", "CFG111"]

    static func load(_ path: String, release: ProsodyRelease?) throws -> DiagnosisInput {
        let data: Data
        let name: String
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
            name = "paste"
        } else {
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw UserFacingError(message: "\(path): cannot read", status: ExitStatus.unreadable)
            }
            data = contents
            name = path
        }
        let text = String(decoding: data, as: UTF8.self)
        let split = PasteSplitter.split(text)
        var notes: [String] = []
        let kinds = split.segments.map(\.kind)
        notes.append("Read \(name): " + [PasteLineKind.config, .log, .prosodyctl, .prose].compactMap { kind in
            let count = split.segments.filter { $0.kind == kind }.reduce(0) { $0 + $1.lines.count }
            return kinds.contains(kind) ? "\(count) \(kind.rawValue) line\(count == 1 ? "" : "s")" : nil
        }.joined(separator: ", ") + ".")
        var releaseToUse = release ?? .v0_12
        if let version = split.prosodyVersion {
            notes.append("The paste names Prosody \(version).")
            if release == nil { releaseToUse = Self.release(for: version) }
        }
        let loaded = ConfigLoader(environment: [:]).load(bytes: Array(split.configText.utf8), fileName: name)
        var configuration = loaded.configuration
        configuration.problems.removeAll { problem in
            if case .includeNotFound = problem.kind { return true }
            if case .includeCycle = problem.kind { return true }
            return false
        }
        // Findings quote the paste's own lines, so excerpts show what the user pasted.
        var sources = loaded.sources
        sources.texts[name] = Array(data)
        let context = AnalysisContext(configuration: split.hasConfig ? configuration : nil, sources: sources,
                                      prosodyRelease: releaseToUse)
        return DiagnosisInput(context: context, files: [name], notes: notes)
    }

    static func release(for version: String) -> ProsodyRelease {
        if version.hasPrefix("0.11") || version.hasPrefix("0.10") || version.hasPrefix("0.9") { return .v0_11 }
        if version.hasPrefix("0.12") || version.hasPrefix("trunk") { return .v0_12 }
        return .v13
    }
}
