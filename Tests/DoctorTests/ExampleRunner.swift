import Doctor
import Foundation
import ProsodyConfig

/// Runs a catalogue example the way a user would: the snippet becomes
/// `prosody.cfg.lua` in a fresh directory (with any extra `files`), then the
/// loader and every rule run over it.
enum ExampleRunner {
    static func findings(for example: RuleDescription.Example, engine: Engine = Engine()) throws -> [Finding] {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("pd-example-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (relative, text) in example.files ?? [:] {
            let url = directory.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        let main = directory.appendingPathComponent("prosody.cfg.lua")
        try Data((example.config ?? "").utf8).write(to: main)
        let loaded = ConfigLoader().load(path: main.path)
        guard let log = example.log else {
            let context = AnalysisContext(configuration: loaded.configuration, sources: loaded.sources)
            return engine.run(context)
        }
        // A `log:` example: the text goes through the log builder; without `config:` there is no config.
        let logs = try LogAnalysisBuilder.analyse(text: log, name: directory.appendingPathComponent("prosody.log").path)
        var context = AnalysisContext(configuration: example.config == nil ? nil : loaded.configuration,
                                      sources: example.config == nil ? SourceFiles() : loaded.sources)
        context.logs = logs
        context.sources.addLogLines(logs.allExamples)
        return engine.runCorrelated(context)
    }
}
