import DeploymentFiles
import Doctor
import Foundation
import ProsodyConfig

/// Everything a diagnosis runs on, and notes on what was read (for the report header).
public struct DiagnosisInput: Sendable {
    public var context: AnalysisContext
    public var files: [String]
    public var notes: [String]
}

/// The input could not be read at all (the CLI's exit status 3).
public struct UnreadableInput: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

public enum InstallationDiagnosis {
    /// Finds Prosody's config (prosodyctl about, else /etc/prosody/prosody.cfg.lua), the
    /// Jitsi files around it and the logs, under `root` (default /).
    public static func load(root: String?, release: ProsodyRelease?) throws -> DiagnosisInput {
        let base = root ?? "/"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: base, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw UnreadableInput(message: "\(base): not a directory")
        }
        var discovered = DeploymentDiscovery.discover(root: base)
        var notes: [String] = []
        if discovered.prosodyConfig == nil, root == nil, let fromAbout = prosodyctlConfigPath() {
            discovered.prosodyConfig = fromAbout
        }
        guard let configPath = discovered.prosodyConfig else {
            throw UnreadableInput(message: "no Prosody config found under \(base) (looked for etc/prosody/prosody.cfg.lua and asked prosodyctl about); pass a config with `prosody-doctor check PATH`")
        }
        let loaded = ConfigLoader(version: release == .v13 ? .v13 : .v0_12).load(path: configPath)
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
        var files = loaded.configuration.files
        var logSources: [(path: String?, text: String?, name: String)] = discovered.prosodyLogs.map { ($0, nil, $0) }
        if root == nil, let journal = run(["journalctl", "-u", "prosody", "--no-pager", "-o", "short-iso", "-n", "200000"]),
           journal.contains("prosody") {
            logSources.append((nil, journal, "journalctl -u prosody"))
        }
        if !logSources.isEmpty {
            var options = LogAnalysisOptions()
            options.summary = false  // the diagnosis shows findings, not the log summary
            options.threads = ProcessInfo.processInfo.activeProcessorCount
            let builder = try LogAnalysisBuilder(options: options)
            for source in logSources {
                if let path = source.path {
                    do { try builder.add(path: path) } catch { notes.append("Could not read \(path): \(error)") }
                } else if let text = source.text {
                    builder.add(text: text, name: source.name)
                }
            }
            let analysis = builder.build()
            context.logs = analysis
            context.sources.addLogLines(analysis.allExamples)
            notes.append("Prosody logs: \(logSources.map(\.name).joined(separator: ", "))")
            files += logSources.map(\.name)
        }
        return DiagnosisInput(context: context, files: files, notes: notes)
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

public enum PasteDiagnosis {
    /// Rules about files on disk mean nothing for a paste: its Includes are not there.
    static let diskRules: Set<String> = ["CFG101", "CFG102", "CFG111"]

    public static func load(_ path: String, release: ProsodyRelease?) throws -> DiagnosisInput {
        let data: Data
        let name: String
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
            name = "paste"
        } else {
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw UnreadableInput(message: "\(path): cannot read")
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
        for repair in split.repairs {
            notes.append("Repaired the paste: \(repair.description) (line \(repair.line), table opened at line \(repair.openedAt)).")
        }
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
        var context = AnalysisContext(configuration: split.hasConfig ? configuration : nil, sources: sources,
                                      prosodyRelease: releaseToUse)
        if split.hasLog {
            let analysis = try LogAnalysisBuilder.analyse(text: split.logText, name: name)
            context.logs = analysis
            context.sources.addLogLines(analysis.allExamples)
        }
        return DiagnosisInput(context: context, files: [name], notes: notes)
    }

    static func release(for version: String) -> ProsodyRelease {
        if version.hasPrefix("0.11") || version.hasPrefix("0.10") || version.hasPrefix("0.9") { return .v0_11 }
        if version.hasPrefix("0.12") || version.hasPrefix("trunk") { return .v0_12 }
        return .v13
    }
}
