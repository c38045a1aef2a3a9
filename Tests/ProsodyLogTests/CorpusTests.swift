import Foundation
import ProsodyLog
import XCTest

/// Every log in `shared/corpus/logs` parses with no line lost: per file the number of events, the
/// format detected, and the lines that are not Prosody records (kept as `unparsed` events, not dropped).
final class CorpusTests: XCTestCase {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/corpus/logs")

    /// file: (events, format most events have, unparsed events). Checked by hand against the files.
    static let expected: [String: (events: Int, format: LogFormat, unparsed: Int)] = [
        "Abhishektharu__analytics__prosody.log": (104, .file, 0),
        "SaraSmiseth__prosody__issue69.log": (1, .unparsed, 1),
        "YunoHost-Apps__jitsi_ynh__issue131.log": (6, .syslog, 1),
        "alexandru1109__MAS_project__prosody.err.log": (41, .file, 0),
        "alexandru1109__MAS_project__prosody.log": (463, .file, 0),
        "christiancuri__Docs__issue4.log": (10, .fragment, 0),
        "digitalocean__droplet-1-clicks__issue75.log": (1, .unparsed, 1),
        "jitsi__docker-jitsi-meet__issue1030.log": (1, .unparsed, 1),
        "jitsi__docker-jitsi-meet__issue1060.log": (1, .fragment, 0),
        "jitsi__docker-jitsi-meet__issue117.log": (6, .console, 0),
        "jitsi__docker-jitsi-meet__issue1224.log": (10, .docker, 0),
        "jitsi__docker-jitsi-meet__issue127.log": (5, .fragment, 1),
        "jitsi__docker-jitsi-meet__issue1359.log": (1, .docker, 0),
        "jitsi__docker-jitsi-meet__issue2013.log": (1, .unparsed, 1),
        "jitsi__jitsi-meet__issue13270.log": (1, .fragment, 0),
        "jitsi__jitsi-meet__issue1386.log": (4, .syslog, 0),
        "jitsi__jitsi-meet__issue14049.log": (3, .fragment, 0),
        "jitsi__jitsi-meet__issue2244.log": (7, .fragment, 0),
        "jitsi__jitsi-meet__issue2270_a.log": (16, .file, 0),
        "jitsi__jitsi-meet__issue2270_b.log": (1, .fragment, 0),
        "jitsi__jitsi-meet__issue2376.log": (9, .file, 0),
        "jitsi__jitsi-meet__issue2937.log": (13, .fragment, 0),
        "jitsi__jitsi-meet__issue3454.log": (1, .file, 0),
        "jitsi__jitsi-meet__issue4406.log": (9, .fragment, 0),
        "jitsi__jitsi-meet__issue529.log": (14, .file, 0),
        "jitsi__jitsi-meet__issue5517.log": (3, .file, 0),
        "jitsi__jitsi-meet__issue8388.log": (1, .console, 0),
        "jitsi__lib-jitsi-meet__issue764.log": (1, .fragment, 0),
        "jitsi__lib-jitsi-meet__issue837.log": (1, .console, 0),
        "jitsi__luajwtjitsi__issue7.log": (1, .console, 0),
        "jsxc__xmpp-cloud-auth__issue34.log": (12, .fragment, 0),
        "jsxc__xmpp-cloud-auth__issue92.log": (2, .fragment, 0),
        "node-xmpp__server__issue148.log": (5, .docker, 0),
        "profanity-im__profanity__issue817.log": (9, .file, 0),
        "prose-im__prose-app-web__issue32.log": (5, .console, 0),
        "rajes123__jitsi__prosody.log": (73, .file, 0),
        "snikket-im__snikket-server__issue204.log": (6, .console, 1),
        "snikket-im__snikket-server__issue290.log": (1, .unparsed, 1),
        "snikket-im__snikket-server__issue8.log": (2, .docker, 0),
        "tmolitor-stud-tu__mod_push_appserver__issue18.log": (2, .file, 0),
        "real-prosody-0.12/debug.log": (2421, .file, 0),
        "real-prosody-0.12/info.log": (176, .file, 0),
    ]

    static func corpusFiles() throws -> [String] {
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: corpus.path) else { return [] }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".log") }.sorted()
    }

    func testEveryCorpusLogParsesWithNoLineLost() throws {
        let files = try Self.corpusFiles()
        try XCTSkipIf(files.isEmpty, "no corpus at \(Self.corpus.path)")
        XCTAssertEqual(Set(files), Set(Self.expected.keys), "corpus changed: record the new files' numbers here")
        for name in files {
            let path = Self.corpus.appendingPathComponent(name).path
            var options = LogReaderOptions()
            options.inferYearFromModificationTime = false
            let (events, summary) = try LogReader.events(atPath: path, options: options)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            var physical = text.components(separatedBy: "\n")
            if physical.last == "" { physical.removeLast() }
            XCTAssertEqual(summary.lines, physical.count, "\(name): line count")
            XCTAssertEqual(summary.events, events.count, name)
            // No line lost: every non-blank physical line belongs to an event.
            var covered = Set<Int>()
            for e in events { covered.formUnion(e.lines) }
            let lost = physical.indices.filter { !physical[$0].trimmingCharacters(in: .whitespaces).isEmpty && !covered.contains($0 + 1) }
            XCTAssertEqual(lost.map { $0 + 1 }, [], "\(name): lines not in any event")
            // Unparseable lines are reported as `unparsed` events that keep their text.
            let unparsed = events.filter { $0.format == .unparsed }
            for e in unparsed { XCTAssertFalse(e.message.isEmpty, "\(name): unparsed event at \(e.lines) lost its text") }
            var formats: [LogFormat: Int] = [:]
            for e in events { formats[e.format, default: 0] += 1 }
            let dominant = formats.filter { $0.key != .unparsed }.max { $0.value == $1.value ? $0.key.rawValue > $1.key.rawValue : $0.value < $1.value }?.key ?? .unparsed
            guard let want = Self.expected[name] else { continue }
            XCTAssertEqual(events.count, want.events, "\(name): events")
            XCTAssertEqual(dominant, want.format, "\(name): format")
            XCTAssertEqual(unparsed.count, want.unparsed, "\(name): unparsed events")
        }
    }
}
