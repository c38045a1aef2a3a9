import Foundation
import XCTest
@testable import ProsodyConfig

final class JSONTests: XCTestCase {
    /// Our oracle-style rendering of the oracle's own examples equals the recorded output
    /// (recorded with --strip-dir --sorted-files), apart from the two header lines.
    func checkExample(_ config: String, expected: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let path = fixturesDirectory + "/" + config
        let c = loader().load(path: path).configuration
        let dir = (path as NSString).deletingLastPathComponent
        let ours = ConfigurationJSON.render(c, style: .oracle, options: .init(relativeTo: dir, sortedFiles: true))
        let recorded = try String(contentsOfFile: fixturesDirectory + "/" + expected, encoding: .utf8)
        func body(_ s: String) -> [String] {
            s.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                .filter { !$0.hasPrefix("  \"oracle\":") && !$0.hasPrefix("  \"prosody_version\":") }
                .filter { !$0.isEmpty }
        }
        let a = body(ours), b = body(recorded)
        if a != b {
            let firstDiff = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }
            XCTFail("\(config): differs at line \(firstDiff?.offset ?? min(a.count, b.count)): ours \(firstDiff?.element.0 ?? "<end>") expected \(firstDiff?.element.1 ?? "<end>")\n\(ours)",
                    file: file, line: line)
        }
    }

    func testGlobIncludeExample() throws {
        try checkExample("glob-include/prosody.cfg.lua", expected: "glob-include/prosody.expected.json")
    }

    func testJitsiLikeExample() throws {
        try checkExample("jitsi-like.cfg.lua", expected: "jitsi-like.expected.json")
    }

    func testSyntaxErrorExample() throws {
        try checkExample("syntax-error.cfg.lua", expected: "syntax-error.expected.json")
    }

    func testValueEncoding() {
        let c = load("""
        a = 1000.0
        b = 0.1
        c = { 1.5, [2.5] = "x", [true] = 1 }
        d = -0.0
        e = 2^53
        f = {}
        g = { "x", nil, "z" }
        h = function() end
        i = "q\\"\\n\\1"
        j = 1/0
        k = os.getenv("X")
        """)
        let json = ConfigurationJSON.render(c, style: .oracle)
        for fragment in ["\"a\": 1e+03", "\"b\": 0.1", "\"1\": 1.5", "\"2.5\": \"x\"", "\"true\": 1", "\"d\": -0.0",
                         "\"e\": 9007199254740992.0", "\"f\": []", "\"h\": \"<function>\"", "\"i\": \"q\\\"\\n\\u0001\"",
                         "\"j\": \"<inf>\"", "\"<dynamic>\": "] {
            XCTAssertTrue(json.contains(fragment), "missing \(fragment) in\n\(json)")
        }
        XCTAssertTrue(json.contains("\"g\": {\n"))
        XCTAssertTrue(json.contains("\"ok\": true"))
    }

    func testOracleErrorShape() {
        let c = load("a = 1\nFoo \"bar\"\n")
        let json = ConfigurationJSON.render(c, style: .oracle)
        XCTAssertTrue(json.contains("\"ok\": false"))
        XCTAssertTrue(json.contains("\"message\": \"/virtual/prosody.cfg.lua:2: attempt to call a nil value (global 'Foo')\""))
        XCTAssertTrue(json.contains("\"line\": 2"))
        XCTAssertTrue(json.contains("\"sections\": []"))
    }

    func testFullDocumentIsDeterministicAndValidJSON() throws {
        let text = """
        admins = { "a@x" }
        VirtualHost "x.example"
            enabled = fals
        """
        let a = ConfigurationJSON.render(load(text), style: .full)
        let b = ConfigurationJSON.render(load(text), style: .full)
        XCTAssertEqual(a, b)
        let object = try JSONSerialization.jsonObject(with: Data(a.utf8)) as? [String: Any]
        XCTAssertEqual(object?["schema"] as? String, "prosody-doctor.config/1")
        let problems = object?["problems"] as? [[String: Any]]
        XCTAssertEqual(problems?.first?["kind"] as? String, "bareIdentifierIsNil")
        let sections = object?["sections"] as? [[String: Any]]
        XCTAssertEqual(sections?.map { $0["name"] as? String }, ["*", "x.example"])
    }
}
