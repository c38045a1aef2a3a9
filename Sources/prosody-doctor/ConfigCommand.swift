import ArgumentParser
import Foundation
import ProsodyConfig

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

        func run() throws {
            let loaded = ConfigLoader().load(path: path)
            switch format {
            case .json: print(ConfigurationJSON.render(loaded.configuration, style: .full))
            case .oracleJSON: print(ConfigurationJSON.render(loaded.configuration, style: .oracle))
            case .text: print(ConfigurationJSON.render(loaded.configuration, style: .full))
            }
        }
    }
}
