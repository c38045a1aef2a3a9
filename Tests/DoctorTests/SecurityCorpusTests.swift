import Doctor
import Foundation
import ProsodyConfig
import XCTest

/// Precision guards over the shared corpus of real configs (skipped when it is absent):
/// Jitsi Meet hosts are never flagged for their BOSH/WebSocket-behind-TLS template
/// settings, and the typo check only fires on the real typos the corpus contains.
final class SecurityCorpusTests: XCTestCase {
    static var corpus: URL? {
        let shared = ProcessInfo.processInfo.environment["SHARED"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared")
        let url = shared.appendingPathComponent("corpus/configs")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    func run(_ body: (String, AnalysisContext, [Finding]) -> Void) throws {
        guard let corpus = Self.corpus else { throw XCTSkip("no shared corpus") }
        let names = try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted()
        for name in names {
            let loaded = ConfigLoader(environment: [:]).load(path: corpus.appendingPathComponent(name).path)
            let context = AnalysisContext(configuration: loaded.configuration, sources: loaded.sources)
            body(name, context, Engine().run(context))
        }
    }

    func testJitsiConfigsHaveNoTransportSecurityWarnings() throws {
        try run { name, context, findings in
            guard context.isJitsi else { return }
            let flagged = findings.filter { ["SEC301", "SEC302", "SEC303", "SEC306", "SEC312"].contains($0.ruleID) }
            XCTAssertEqual(flagged.map(\.message), [], name)
        }
    }

    func testTypoWarningsAreOnlyRealTypos() throws {
        var typos = Set<String>()
        try run { _, _, findings in
            for f in findings where f.ruleID == "OPT222" && f.severity == .warning {
                typos.insert(String(f.message.split(separator: " ")[2]))
            }
        }
        XCTAssertTrue(typos.isSubset(of: ["plugins_path", "registrarion_url", "in_seconds_between_registrations",
                                          "user", "group"]), "\(typos.sorted())")
    }
}
