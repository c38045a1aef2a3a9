import Foundation
import XCTest
@testable import ProsodyConfig

/// A temporary directory tree for include tests; removed on deinit.
final class TempTree {
    let root: String

    init(_ files: [String: String] = [:]) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("pd-cfg-\(UUID().uuidString.prefix(8))")
        try! FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        root = base.path
        for (path, text) in files { write(path, text) }
    }

    func write(_ path: String, _ text: String) { write(path, bytes: Array(text.utf8)) }

    func write(_ path: String, bytes: [UInt8]) {
        let url = URL(fileURLWithPath: root).appendingPathComponent(path)
        try! FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try! Data(bytes).write(to: url)
    }

    func path(_ p: String) -> String { root + "/" + p }

    deinit { try? FileManager.default.removeItem(atPath: root) }
}

let fixturesDirectory: String = {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/config").path
}()

func loader(env: [String: String] = [:], version: ProsodyVersion = .v0_12) -> ConfigLoader {
    ConfigLoader(environment: env, version: version, includeOrder: .sorted)
}

/// Loads config text as `/virtual/dir/prosody.cfg.lua` (no includes).
func load(_ text: String, env: [String: String] = [:], version: ProsodyVersion = .v0_12) -> ProsodyConfiguration {
    loader(env: env, version: version).load(bytes: Array(text.utf8), fileName: "/virtual/prosody.cfg.lua").configuration
}

extension ProsodyConfiguration {
    func value(_ section: String, _ option: String) -> ConfigValue? { self.section(named: section)?[option] }

    func problems(_ name: String) -> [ConfigProblem] {
        problems.filter { ConfigurationJSON.problemKindName($0.kind) == name }
    }

    var sectionNames: [String] { sections.map(\.name) }
}

func strings(_ v: ConfigValue?) -> [String]? { v?.stringList }
