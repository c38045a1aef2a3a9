import ArgumentParser
import Doctor
import Foundation
import ProsodyConfig
import Reporting

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check Prosody config files and report problems with their location and fix.",
        discussion: """
        Exit status: 0 when nothing is at or above --fail-on, 1 when something is,
        2 for a usage error, 3 when an input cannot be read.
        Environment: PROSODY_DOCTOR_FORMAT, PROSODY_DOCTOR_FAIL_ON, PROSODY_DOCTOR_SELECT,
        PROSODY_DOCTOR_IGNORE, PROSODY_DOCTOR_PROSODY_VERSION, PROSODY_DOCTOR_CONFIG.
        """
    )

    @Argument(help: "Config files (the main prosody.cfg.lua; Includes are followed), a directory holding prosody.cfg.lua, or - for standard input.")
    var paths: [String] = []

    @Option(help: "Name to use for standard input (Includes resolve against its directory).")
    var stdinFilename: String = CheckRequest.defaultStdinFilename

    @Option(help: "Report only findings not recorded in this baseline file.")
    var baseline: String?

    @Option(help: "Record the current findings in this baseline file (and exit 0).")
    var writeBaseline: String?

    @Option(name: .customLong("log"), help: "A Prosody log to correlate with the config (repeatable; - for standard input).")
    var logs: [String] = []

    @OptionGroup var output: OutputOptions
    @OptionGroup var selection: SelectionOptions

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one config file, or - for standard input") }
        if paths.contains("-") && logs.contains("-") { throw ValidationError("standard input can be the config or a --log, not both") }
    }

    func run() throws {
        try CheckRequest(paths: paths, stdinFilename: stdinFilename, baseline: baseline, writeBaseline: writeBaseline,
                         logs: logs, output: output.settings, selection: selection.settings).run()
    }
}

/// A `check` run as plain values: what `CheckCommand` parsed, or what `QuickCheck` read.
struct CheckRequest {
    /// `--log` files give findings only (`check` prints no log summary), read on every CPU.
    static func logOptions() -> LogAnalysisOptions {
        var options = LogAnalysisOptions()
        options.summary = false
        options.threads = ProcessInfo.processInfo.activeProcessorCount
        return options
    }

    static let defaultStdinFilename = "stdin.cfg.lua"
    var paths: [String]
    var stdinFilename = CheckRequest.defaultStdinFilename
    var baseline: String? = nil
    var writeBaseline: String? = nil
    var logs: [String] = []
    var output = OutputSettings()
    var selection = SelectionSettings()

    func run() throws {
        let firstDirectory = paths.first.map { $0 == "-" ? PosixFiles.currentDirectory() : PosixFiles.directoryPart(of: $0) }
        let project = try selection.loadProject(startingAt: firstDirectory.map { $0.isEmpty ? "." : $0 })
        let format = try output.resolvedFormat(project: project)
        let extraOutputs = try output.extraOutputs()
        let release = try selection.release(project: project)
        let failLevel = try selection.failLevel(project: project)
        let filter = selection.filter(project: project)
        let accepted = try baseline.map(Self.readBaseline)

        var findings: [Finding] = []
        var sources = SourceFiles()
        var files: [String] = []
        // Every context stays allocated until the process exits (never freed: see the end).
        var contexts: [AnalysisContext] = []
        let logAnalysis = try logs.isEmpty ? nil : LogInput.analyse(logs, options: Self.logOptions())
        if let logAnalysis { sources.addLogLines(logAnalysis.allExamples); files += logAnalysis.files.map(\.name) }
        for (index, path) in paths.enumerated() {
            let loaded = try InputLoading.loadConfig(path, stdinFilename: stdinFilename, release: release)
            var context = AnalysisContext(configuration: loaded.configuration, sources: loaded.sources,
                                          prosodyRelease: release, isJitsi: selection.jitsi ?? project.jitsi)
            context.inlineSuppressions = !selection.ignoreInline
            if path != "-" { context.fileFacts = FileFacts.gather(for: loaded.configuration.files) }
            // The log findings are reported once, with the first config.
            context.logs = index == 0 ? logAnalysis : nil
            if logAnalysis != nil { context.sources.addLogLines(logAnalysis!.allExamples) }
            findings += Engine().runCorrelated(context, filter: filter)
            contexts.append(context)
            sources.texts.merge(loaded.sources.texts) { a, _ in a }
            files += loaded.configuration.files
        }
        findings = Engine.sorted(findings)
        if let writeBaseline {
            try writeAtomically(Baseline.make(findings: findings, sources: sources).document, to: writeBaseline)
            FileHandle.standardError.write(Data("prosody-doctor: recorded \(findings.count) finding(s) in \(writeBaseline)\n".utf8))
            throw ExitCode(ExitStatus.clean)
        }
        if let accepted { findings = accepted.newFindings(findings, sources: sources) }

        let report = Report(findings: findings, sources: sources, files: files)
            .displayingPaths(relativeTo: PosixFiles.currentDirectory())
        print(Reporter.render(report, format: format, color: output.useColor && format == .text), terminator: "")
        for (extraFormat, path) in extraOutputs {
            try writeAtomically(Reporter.render(report, format: extraFormat), to: path)
        }
        if format == .github, let summary = ProcessInfo.processInfo.environment["GITHUB_STEP_SUMMARY"], !summary.isEmpty,
           let handle = FileHandle(forWritingAtPath: summary) {
            handle.seekToEndOfFile()
            handle.write(Data(GitHubReporter().stepSummary(report).utf8))
            handle.closeFile()
        }
        // Exit here: tearing down a big model (freeing every section and option, the contexts
        // and their derived facts) would cost a tenth of the run, and the process is done with it.
        withExtendedLifetime(contexts) {}
        FileHandle.standardOutput.synchronizeFile()
        Foundation.exit(exitStatus(for: findings, failLevel: failLevel))
    }

    static func readBaseline(_ path: String) throws -> Baseline {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw UserFacingError(message: "cannot read baseline \(path)", status: ExitStatus.unreadable)
        }
        do { return try Baseline.parse(data, path: path) } catch let error as Baseline.InvalidFile {
            throw ValidationError(error.description)
        }
    }
}

enum InputLoading {
    /// Loads a config path, a directory with prosody.cfg.lua, or `-` (stdin).
    /// An input that cannot be read at all is exit status 3.
    static func loadConfig(_ path: String, stdinFilename: String, release: ProsodyRelease = .v0_12) throws -> LoadedConfiguration {
        var loader = ConfigLoader(version: release == .v13 ? .v13 : .v0_12)
        // check exits once it has reported (see the end of CheckRequest.run).
        loader.leavesEvaluationAllocated = true
        if path == "-" {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            return loader.load(bytes: [UInt8](data), fileName: stdinFilename)
        }
        guard PosixFiles.kind(of: path).exists else {
            throw UserFacingError(message: "\(path): no such file", status: ExitStatus.unreadable)
        }
        var file = path
        if PosixFiles.kind(of: path).isDirectory {
            file = (path as NSString).appendingPathComponent("prosody.cfg.lua")
            guard PosixFiles.kind(of: file).exists else {
                throw UserFacingError(message: "\(path) is a directory without prosody.cfg.lua; name the main config file",
                                      status: ExitStatus.unreadable)
            }
        }
        // FileManager.isReadableFile is access(R_OK); the file must also open and read.
        guard access(file, R_OK) == 0, PosixFiles.isReadable(file) else {
            throw UserFacingError(message: "\(file): cannot read (permission denied?)", status: ExitStatus.unreadable)
        }
        return loader.load(path: file)
    }
}
