import ArgumentParser
import Foundation
import PasteAnalysis
import ProsodyConfig

struct RedactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redact",
        abstract: "Mask secrets (and with --pseudonymize, names) in configs, logs and pastes before sharing them.",
        discussion: """
        Secrets are always masked: app_secret, passwords, component and TURN secrets,
        tokens, SASL blobs, private keys. With --pseudonymize, domains, JIDs, IP
        addresses and room names become consistent placeholders (meet.example.com ->
        domain1.example, keeping service prefixes such as conference. and guest.),
        the same in every file given, so the result can still be diagnosed.
        """
    )

    @Argument(help: "Files to redact, or - for standard input (the default).")
    var inputs: [String] = ["-"]

    @Flag(help: "Replace domains, JIDs, IP addresses and room names by consistent placeholders.")
    var pseudonymize = false

    @Option(help: "Write each redacted file next to its input with this suffix (e.g. .redacted) instead of printing.")
    var suffix: String?

    func run() throws {
        let redactor = Redactor(pseudonymize: pseudonymize)
        var texts: [(name: String, text: String)] = []
        for input in inputs {
            if input == "-" {
                texts.append(("-", String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)))
            } else {
                guard let data = FileManager.default.contents(atPath: input) else {
                    throw UserFacingError(message: "\(input): cannot read", status: ExitStatus.unreadable)
                }
                texts.append((input, String(decoding: data, as: UTF8.self)))
            }
        }
        // Every host any config declares is a domain, whatever its top-level label.
        for (name, text) in texts {
            let config = PasteSplitter.split(text).configText
            let loaded = ConfigLoader(environment: [:]).load(bytes: Array(config.utf8), fileName: name == "-" ? "stdin.cfg.lua" : name)
            redactor.seed(hosts: loaded.configuration.sections.map(\.name))
        }
        for (name, text) in texts {
            let redacted = redactor.redact(text)
            if let suffix, name != "-" {
                try writeAtomically(redacted, to: name + suffix)
            } else {
                print(redacted, terminator: redacted.hasSuffix("\n") ? "" : "\n")
            }
        }
    }
}
