import ArgumentParser
import Foundation
import LuaSyntax

@main
struct ProsodyDoctor: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prosody-doctor",
        abstract: "Finds what is wrong in a Prosody (and Jitsi Meet) configuration and logs, and how to fix it.",
        version: "0.1.0",
        subcommands: [CheckCommand.self, ConfigCommand.self, DiagnoseCommand.self, TokenCommand.self, LogsCommand.self, RedactCommand.self, RulesCommand.self, ExplainCommand.self,
                      ParseLuaCommand.self]
    )

    /// Exit codes: 0 clean, 1 findings, 2 usage error, 3 unreadable input.
    static func main() {
        do {
            if let check = QuickCheck.request(CommandLine.arguments.dropFirst()) {
                adoptMainThreadAsLargeStack()
                LargeHeap.prepare(forInputOfSize: check.paths.reduce(0) { total, path in
                    var info = stat()
                    return total + (stat(path, &info) == 0 ? Int(info.st_size) : 0)
                })
                try check.run()
                return
            }
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch let error as UserFacingError {
            FileHandle.standardError.write(Data("prosody-doctor: \(error.message)\n".utf8))
            Foundation.exit(error.status)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                ProsodyDoctor.exit(withError: error)
            }
            let message = fullMessage(for: error)
            FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
            Foundation.exit(code == .validationFailure ? ExitStatus.usage : code.rawValue)
        }
    }
}

enum ExitStatus {
    static let clean: Int32 = 0
    static let findings: Int32 = 1
    static let usage: Int32 = 2
    static let unreadable: Int32 = 3
}

/// An error meant for the user: printed as `prosody-doctor: message`, exits with `status`.
struct UserFacingError: Error, CustomStringConvertible {
    var message: String
    var status: Int32
    var description: String { message }
}
