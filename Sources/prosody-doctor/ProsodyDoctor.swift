import ArgumentParser

@main
struct ProsodyDoctor: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prosody-doctor",
        abstract: "Finds what is wrong in a Prosody (and Jitsi Meet) configuration and logs, and how to fix it.",
        subcommands: [ConfigCommand.self, ParseLuaCommand.self]
    )
}
