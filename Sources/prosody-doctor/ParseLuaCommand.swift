import ArgumentParser
import Foundation
import LuaSyntax

/// `luac -p` look-alike, used by the parser conformance suite.
struct ParseLuaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse-lua",
        abstract: "Check Lua syntax like `luac -p`: prints `file:line: message` for the first error.",
        shouldDisplay: false
    )

    @Argument(help: "Lua files to check.")
    var files: [String]

    func run() throws {
        var failed = false
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                print("\(file): cannot read")
                failed = true
                continue
            }
            let result = LuaParser.parse([UInt8](data), options: .luac)
            if let error = result.errors.first {
                print("\(file):\(error.line): \(error.message)")
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}
