import Doctor
import XCTest

final class ProjectConfigurationTests: XCTestCase {
    func parse(_ text: String) throws -> ProjectConfiguration {
        try ProjectConfiguration.parse(text, path: ".prosody-doctor.yml", knownRule: RuleCatalogue.embedded.knows)
    }

    func testFullFile() throws {
        let config = try parse("""
        select: [CFG, LUA001]
        ignore: CFG113
        severity:
          CFG103: error
        hosts:
          Guest.Example.com: { ignore: [CFG105] }
        prosody_version: "13"
        jitsi: false
        fail_on: warning
        format: json
        """)
        XCTAssertEqual(config.select, ["CFG", "LUA001"])
        XCTAssertEqual(config.ignore, ["CFG113"])
        XCTAssertEqual(config.severityOverrides, ["CFG103": .error])
        XCTAssertEqual(config.hostIgnores, ["guest.example.com": ["CFG105"]])
        XCTAssertEqual(config.prosodyVersion, "13")
        XCTAssertEqual(config.jitsi, false)
        XCTAssertEqual(config.failOn, "warning")
        XCTAssertEqual(config.format, "json")
        XCTAssertEqual(try parse(""), ProjectConfiguration())
    }

    func testInvalidFilesNameTheLine() {
        let cases: [(String, Int, String)] = [
            ("select: [CFG]\nignroe: [CFG103]\n", 2, "unknown setting 'ignroe'"),
            ("severity:\n  CFG103: fatal\n", 2, "must be error, warning, info or hint"),
            ("select: [NOPE]\n", 1, "'NOPE' in 'select' is not a rule"),
            ("fail_on: sometimes\n", 1, "fail_on must be one of"),
            ("select: [CFG\n", 2, "not valid YAML"),
            ("- a\n- b\n", 1, "expected a mapping"),
        ]
        for (text, line, message) in cases {
            XCTAssertThrowsError(try parse(text), text) { error in
                let error = error as! ProjectConfiguration.InvalidFile
                XCTAssertEqual(error.line, line, "\(text) -> \(error)")
                XCTAssertTrue(error.message.contains(message), "\(error.message)")
            }
        }
    }

    func testSeverityOverridesAndHostIgnoresApply() {
        var filter = FindingFilter(severityOverrides: ["CFG103": .error])
        XCTAssertEqual(filter.severityOverrides["CFG103"], .error)
        filter.minimumSeverity = .error
        XCTAssertTrue(filter.keeps(Finding(ruleID: "CFG103", ruleName: "d", severity: .error, category: .correctness,
                                           message: "m", location: nil)))
    }
}
