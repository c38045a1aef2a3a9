import Foundation
import LuaSyntax

/// The texts of every file read, for excerpts in reports.
public struct SourceFiles: Sendable {
    public var texts: [String: [UInt8]]
    public init(texts: [String: [UInt8]] = [:]) { self.texts = texts }
    /// The given 1-based line of a file, without its line terminator.
    public func line(_ number: Int, in file: String) -> String? {
        guard let bytes = texts[file], number >= 1 else { return nil }
        var current = 1
        var start = 0
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\n") {
                if current == number { break }
                current += 1
                start = index + 1
            }
            index += 1
        }
        guard current == number, start <= bytes.count else { return nil }
        var end = index
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}

public struct LoadedConfiguration: Sendable {
    public var configuration: ProsodyConfiguration
    public var sources: SourceFiles
    public init(configuration: ProsodyConfiguration, sources: SourceFiles) {
        self.configuration = configuration
        self.sources = sources
    }
}

/// Loads a Prosody config file tree with configmanager semantics. (Evaluator in progress.)
public struct ConfigLoader: Sendable {
    public var environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// Loads the main config at `path` and its Includes. Problems (syntax errors, missing
    /// includes, unreadable files...) are recorded in the model; this never throws.
    public func load(path: String) -> LoadedConfiguration {
        load(bytes: (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))) ?? [], fileName: path)
    }

    /// Loads config text given directly (stdin); Includes resolve against `fileName`'s directory.
    public func load(bytes: [UInt8], fileName: String) -> LoadedConfiguration {
        let global = ConfigSection(name: "*", kind: .global, declarations: [], options: [])
        let model = ProsodyConfiguration(global: global, sections: [], assignments: [], files: [fileName], problems: [])
        return LoadedConfiguration(configuration: model, sources: SourceFiles(texts: [fileName: bytes]))
    }
}
