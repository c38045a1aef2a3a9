import DeploymentFiles
import Doctor
import Foundation
import ProsodyConfig

/// Runs a catalogue example the way a user would: the snippet becomes
/// `prosody.cfg.lua` in a fresh directory (with any extra `files`), then the
/// loader and every rule run over it.
enum ExampleRunner {
    static func findings(for example: RuleDescription.Example, engine: Engine = Engine()) throws -> [Finding] {
        // Short on purpose: a warning in a file whose path has 60+ bytes is its own rule (CFG117).
        let directory = URL(fileURLWithPath: "/tmp/pd" + UUID().uuidString.prefix(8))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (relative, text) in example.files ?? [:] {
            let url = directory.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        let main = directory.appendingPathComponent(example.main ?? "prosody.cfg.lua")
        try Data((example.config ?? "").utf8).write(to: main)
        let loaded = ConfigLoader().load(path: main.path)
        // A `log:` example: the text goes through the log builder; without `config:` there is no config.
        var context = AnalysisContext(configuration: example.log != nil && example.config == nil ? nil : loaded.configuration,
                                      sources: example.log != nil && example.config == nil ? SourceFiles() : loaded.sources)
        if let deployment = example.deployment {
            context.deployment = try snapshot(deployment, in: directory, configuration: loaded.configuration)
        }
        if let log = example.log {
            let logs = try LogAnalysisBuilder.analyse(text: log, name: directory.appendingPathComponent("prosody.log").path)
            context.logs = logs
            context.sources.addLogLines(logs.allExamples)
        }
        return engine.runCorrelated(context)
    }

    /// Cross-file examples (rules/deployment.yml): the jicofo/config.js/nginx snippets
    /// become files beside the config, certificates are read from the `ssl` paths.
    static func snapshot(_ example: RuleDescription.DeploymentExample, in directory: URL,
                         configuration: ProsodyConfiguration?) throws -> DeploymentSnapshot {
        func write(_ text: String?, _ name: String) throws -> String? {
            guard let text else { return nil }
            let url = directory.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            return url.path
        }
        let files = DiscoveredFiles(root: directory.path,
                                    jicofoConf: try write(example.jicofo, "jicofo.conf"),
                                    jicofoProperties: try write(example.properties, "sip-communicator.properties"),
                                    configJS: try write(example.configjs, "meet.example.com-config.js").map { [$0] } ?? [],
                                    nginxSites: try write(example.nginx, "meet.example.com.conf").map { [$0] } ?? [])
        let now = example.now.flatMap { ISO8601DateFormatter().date(from: $0) } ?? Date()
        return DeploymentSnapshot.load(files: files,
                                       certificatePaths: configuration.map(CertificateReferences.paths(in:)) ?? [],
                                       now: now)
    }
}
