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
        """
    )

    @Argument(help: "Config files (the main prosody.cfg.lua; Includes are followed), a directory holding prosody.cfg.lua, or - for standard input.")
    var paths: [String] = []

    @Option(help: "Name to use for standard input (Includes resolve against its directory).")
    var stdinFilename: String = "stdin.cfg.lua"

    @OptionGroup var output: OutputOptions
    @OptionGroup var selection: SelectionOptions

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one config file, or - for standard input") }
    }

    func run() throws {
        var findings: [Finding] = []
        var sources = SourceFiles()
        var files: [String] = []
        for path in paths {
            let loaded = try InputLoading.loadConfig(path, stdinFilename: stdinFilename)
            let context = AnalysisContext(configuration: loaded.configuration, sources: loaded.sources,
                                          prosodyRelease: selection.prosodyRelease)
            findings += Engine().run(context, filter: selection.filter)
            sources.texts.merge(loaded.sources.texts) { a, _ in a }
            files += loaded.configuration.files
        }
        let report = Report(findings: Engine.sorted(findings), sources: sources, files: files)
        print(Reporter.render(report, format: output.resolvedFormat, color: output.useColor), terminator: "")
        throw ExitCode(selection.exitStatus(for: findings))
    }
}

enum InputLoading {
    /// Loads a config path, a directory with prosody.cfg.lua, or `-` (stdin).
    /// An input that cannot be read at all is exit status 3.
    static func loadConfig(_ path: String, stdinFilename: String) throws -> LoadedConfiguration {
        if path == "-" {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            return ConfigLoader().load(bytes: [UInt8](data), fileName: stdinFilename)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            fail("\(path): no such file", status: ExitStatus.unreadable)
        }
        var file = path
        if isDirectory.boolValue {
            file = (path as NSString).appendingPathComponent("prosody.cfg.lua")
            guard FileManager.default.fileExists(atPath: file) else {
                fail("\(path) is a directory without prosody.cfg.lua; name the main config file", status: ExitStatus.unreadable)
            }
        }
        guard FileManager.default.isReadableFile(atPath: file), FileManager.default.contents(atPath: file) != nil else {
            fail("\(file): cannot read (permission denied?)", status: ExitStatus.unreadable)
        }
        return ConfigLoader().load(path: file)
    }
}
