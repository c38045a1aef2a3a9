import Foundation
import XCTest

/// The shared Jitsi corpus lives beside the repository: `<repo>/../shared/corpus/jitsi`.
enum Corpus {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/corpus/jitsi")

    static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    static func text(_ relative: String) throws -> String {
        let data = try Data(contentsOf: url(relative))
        return String(decoding: data, as: UTF8.self)
    }

    static func files(_ directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url(directory).path).sorted().map { directory + "/" + $0 }
    }

    static func skipUnlessPresent() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: root.path), "corpus not found at \(root.path)")
    }

    /// Binary-ish, truncated and huge inputs every reader must survive.
    static var hostileInputs: [String] {
        var bytes: [UInt8] = []
        var seed: UInt32 = 12345
        for _ in 0..<4096 {
            seed = seed &* 1_103_515_245 &+ 12345
            bytes.append(UInt8(truncatingIfNeeded: seed >> 16))
        }
        return [
            "",
            String(decoding: bytes, as: UTF8.self),
            String(repeating: "a", count: 300_000),
            String(repeating: "{", count: 5_000),
            String(repeating: "}", count: 5_000),
            String(repeating: "[", count: 5_000) + "\"",
            "jicofo { authentication { enabled = \"tr",
            "config.hosts.domain = 'meet",
            "location /http-bind { proxy_pass http://x/$",
            "\\\n\\\n\\",
            "${${${",
            "'''\"\"\"```",
        ]
    }
}
