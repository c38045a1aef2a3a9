import Doctor
import ProsodyConfig
import XCTest

final class SecurityRuleTests: XCTestCase {
    let secretConfig = """
    modules_enabled = { "tls" }
    VirtualHost "example.com"
    Component "focus.example.com"
        component_secret = "7f3a9c2e1b8d4f6a0e5c9b2d"
    Component "jvb.example.com"
        component_secret = "7f3a9c2e1b8d4f6a0e5c9b2d"
    """
    let file = "/etc/prosody/prosody.cfg.lua"

    func testSecretsInAWorldReadableFile() throws {
        let findings = RuleHarness.findings(secretConfig, file: file, fileFacts: [file: FileFacts(mode: 0o644)])
        let finding = try XCTUnwrap(RuleHarness.only("SEC307", findings).first)
        XCTAssertEqual(finding.location?.line, 4)
        XCTAssertTrue(finding.message.contains("0644"))
        XCTAssertTrue(finding.message.contains("component_secret"))
        XCTAssertEqual(finding.related.count, 1)
        for f in findings { XCTAssertFalse(f.message.contains("7f3a9c2e"), "secret leaked by \(f.ruleID)") }
        let safe = RuleHarness.findings(secretConfig, file: file, fileFacts: [file: FileFacts(mode: 0o640)])
        XCTAssertEqual(RuleHarness.only("SEC307", safe).count, 0)
        XCTAssertEqual(RuleHarness.only("SEC307", RuleHarness.findings(secretConfig, file: file)).count, 0)
    }

    func testWorldWritableConfig() {
        let findings = RuleHarness.findings(secretConfig, file: file, fileFacts: [file: FileFacts(mode: 0o666)])
        XCTAssertEqual(RuleHarness.only("SEC308", findings).first?.severity, .error)
        XCTAssertEqual(FileFacts(mode: 0o640).octal, "0640")
    }

    func testReusedSecretNamesBothComponents() throws {
        let finding = try XCTUnwrap(RuleHarness.only("SEC311", RuleHarness.findings(secretConfig)).first)
        XCTAssertTrue(finding.message.contains("focus.example.com") && finding.message.contains("jvb.example.com"))
        XCTAssertFalse(finding.message.contains("7f3a9c2e"))
    }

    func testWeakSecretsAndPlaceholders() {
        func weak(_ secret: String) -> Int {
            let text = "modules_enabled = { \"tls\" }\nVirtualHost \"example.com\"\nComponent \"gw.example.com\"\n    component_secret = \"\(secret)\"\n"
            return RuleHarness.only("SEC310", RuleHarness.findings(text)).count
        }
        XCTAssertEqual(weak("s3cr37"), 1)
        XCTAssertEqual(weak("focusSecret"), 1)
        XCTAssertEqual(weak("aaaaaaaaaaaa"), 1)
        XCTAssertEqual(weak("IfGaish6"), 0)
        XCTAssertEqual(weak("{{ JICOFO_SECRET }}"), 0)
        XCTAssertEqual(weak("REDACTED"), 0)
        XCTAssertEqual(weak("__turnSecret__"), 0)
    }

    func testC2SEncryptionJitsiAndWebHosts() {
        let plain = "modules_enabled = { \"tls\" }\nVirtualHost \"example.com\"\n    c2s_require_encryption = false\n"
        let finding = RuleHarness.only("SEC301", RuleHarness.findings(plain)).first
        XCTAssertEqual(finding?.severity, .warning)
        XCTAssertEqual(finding?.fix?.edits.first?.replacement, "true")
        XCTAssertEqual(finding?.fix?.edits.first?.location.range.start.column, 30)
        XCTAssertEqual(RuleHarness.only("SEC301", RuleHarness.findings(plain, isJitsi: true)).count, 0)
        let web = "modules_enabled = { \"tls\", \"bosh\" }\nVirtualHost \"example.com\"\n    c2s_require_encryption = false\n"
        XCTAssertEqual(RuleHarness.only("SEC301", RuleHarness.findings(web)).first?.severity, .info)
        let global = "modules_enabled = { \"tls\" }\nc2s_require_encryption = false\nVirtualHost \"a.example.com\"\nVirtualHost \"b.example.com\"\n    c2s_require_encryption = true\n"
        let globalFinding = RuleHarness.only("SEC301", RuleHarness.findings(global)).first
        XCTAssertTrue(globalFinding?.message.contains("a.example.com") == true)
        XCTAssertFalse(globalFinding?.message.contains("b.example.com") == true)
    }

    func testRealJitsiTemplateIsQuiet() {
        let text = """
        plugin_paths = { "/usr/share/jitsi-meet/prosody-plugins/" }
        consider_bosh_secure = true
        VirtualHost "meet.example.com"
            authentication = "jitsi-anonymous"
            ssl = { key = "/etc/prosody/certs/meet.example.com.key"; certificate = "/etc/prosody/certs/meet.example.com.crt" }
            modules_enabled = { "bosh"; "pubsub"; "ping"; "speakerstats"; "conference_duration" }
            c2s_require_encryption = false
        VirtualHost "auth.meet.example.com"
            authentication = "internal_hashed"
        Component "conference.meet.example.com" "muc"
            admins = { "focus@auth.meet.example.com" }
        """
        let security = RuleHarness.findings(text).filter { $0.ruleID.hasPrefix("SEC") }
        XCTAssertEqual(security.map(\.message), [])
    }

    func testAdminOnAnonymousHostAndPlainStorage() {
        let text = """
        modules_enabled = { "tls" }
        admins = { "admin@guest.example.com", "boss@example.com" }
        authentication = "internal_plain"
        VirtualHost "example.com"
        VirtualHost "guest.example.com"
            authentication = "anonymous"
        """
        let findings = RuleHarness.findings(text)
        XCTAssertEqual(RuleHarness.only("SEC309", findings).count, 1)
        let plain = RuleHarness.only("SEC305", findings)
        XCTAssertEqual(plain.count, 1)
        XCTAssertTrue(plain.first?.message.contains("\"example.com\"") == true)
        XCTAssertFalse(plain.first?.message.contains("guest") == true)
        XCTAssertEqual(plain.first?.fix?.edits.first?.replacement, "\"internal_hashed\"")
    }

    func testOpenRegistrationGuards() {
        let base = "modules_enabled = { \"tls\", \"register\" }\nallow_registration = true\n"
        XCTAssertEqual(RuleHarness.only("SEC304", RuleHarness.findings(base + "VirtualHost \"example.com\"\n")).count, 1)
        for guardLine in ["registration_throttle_max = 2", "allowlist_registration_only = true",
                          "register_oob_url = \"https://example.com/register\""] {
            let text = base + guardLine + "\nVirtualHost \"example.com\"\n"
            XCTAssertEqual(RuleHarness.only("SEC304", RuleHarness.findings(text)).count, 0, guardLine)
        }
    }
}
