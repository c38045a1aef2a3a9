import ArgumentParser
import Doctor
import Foundation
import ProsodyConfig
import Reporting

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show the configuration as Prosody would load it.",
        subcommands: [Show.self]
    )

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every section and effective option with the file:line where it was set."
        )

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text, json
            /// The shape of shared/tools/prosody-oracle, for differential testing.
            case oracleJSON = "oracle-json"
        }

        @Argument(help: "The main config file (e.g. /etc/prosody/prosody.cfg.lua).")
        var path: String

        @Option(help: "Output format: text, json or oracle-json.")
        var format: Format = .text

        @Flag(help: ArgumentHelp("Print secret values as they are (for differential tests only).", visibility: .hidden))
        var showSecrets = false

        @Option(name: .customLong("prosody-version"), help: "Prosody semantics: 0.12 (default) or 13 (Lua, FileContents, option read-back).")
        var prosodyRelease: ProsodyRelease = .v0_12

        func run() throws {
            var loaded = ConfigLoader(version: prosodyRelease == .v13 ? .v13 : .v0_12).load(path: path)
            if !showSecrets { loaded.configuration = SecretMasking.maskSecrets(in: loaded.configuration) }
            switch format {
            case .json: print(ConfigurationJSON.render(loaded.configuration, style: .full))
            case .oracleJSON: print(ConfigurationJSON.render(loaded.configuration, style: .oracle))
            case .text: print(ConfigurationText.render(loaded.configuration, relativeTo: FileManager.default.currentDirectoryPath), terminator: "")
            }
        }
    }
}
