@testable import Doctor
import XCTest

final class SecretMaskingTests: XCTestCase {
    func testConfigSecretsAreMasked() {
        XCTAssertEqual(SecretMasking.maskLine(#"    app_secret = "Sup3rS3cret""#), #"    app_secret = "********""#)
        XCTAssertEqual(SecretMasking.maskLine(#"component_secret='abc'"#), #"component_secret='********'"#)
        XCTAssertEqual(SecretMasking.maskLine(#"sql = { driver = "PostgreSQL", password = "pw" }"#),
                       #"sql = { driver = "PostgreSQL", password = "********" }"#)
        XCTAssertEqual(SecretMasking.maskLine("turncredentials_secret = [[x y]]"), "turncredentials_secret = [[********]]")
    }

    func testNonSecretsAndEmptySecretsStay() {
        XCTAssertEqual(SecretMasking.maskLine(#"app_id = "school""#), #"app_id = "school""#)
        XCTAssertEqual(SecretMasking.maskLine(#"key = "/etc/prosody/certs/x.key""#), #"key = "/etc/prosody/certs/x.key""#)
        XCTAssertEqual(SecretMasking.maskLine(#"app_secret = """#), #"app_secret = """#)
        XCTAssertEqual(SecretMasking.maskLine(#"asap_key_server = "https://keys.example.com""#), #"asap_key_server = "https://keys.example.com""#)
    }

    func testTokensAndSaslBlobsAreMasked() {
        let line = "Session token: eyJhbGciOiJIUzI1NiJ9.eyJyb29tIjoiKiJ9.c2lnbmF0dXJl, room: x"
        XCTAssertEqual(SecretMasking.maskLine(line), "Session token: ********, room: x")
        let sasl = #"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlAHNlY3JldA==</auth>"#
        XCTAssertFalse(SecretMasking.maskLine(sasl).contains("AGFsaWNlAHNlY3JldA=="))
    }
}

final class SecretMaskingOtherFormatsTests: XCTestCase {
    func testHOCONAndPropertiesSecretsAreMasked() {
        XCTAssertEqual(SecretMasking.maskLine(#"      password: "s3cret""#), #"      password: "********""#)
        XCTAssertEqual(SecretMasking.maskLine(#"  "password": "s3cret","#), #"  "password": "********","#)
        XCTAssertEqual(SecretMasking.maskLine("org.jitsi.jicofo.auth.PASSWORD=s3cret"), "org.jitsi.jicofo.auth.PASSWORD=********")
        XCTAssertEqual(SecretMasking.maskLine("JICOFO_AUTH_PASSWORD=s3cret"), "JICOFO_AUTH_PASSWORD=********")
        XCTAssertEqual(SecretMasking.maskLine(#"login-url: meet.example.com"#), #"login-url: meet.example.com"#)
        XCTAssertEqual(SecretMasking.maskLine("      password: unquoted-s3cret"), "      password: ********")
        XCTAssertEqual(SecretMasking.maskLine("debug\tSession token: nil, session room: nil"), "debug\tSession token: nil, session room: nil")
        XCTAssertEqual(SecretMasking.maskLine(#"app_secret = ENV_SECRET"#), #"app_secret = ENV_SECRET"#, "a Lua variable is no secret value")
    }
}

/// `maskLine` skips the regular expressions when a byte pre-check shows none can change the
/// line; on every such line, running them all must indeed change nothing.
final class SecretMaskingPrecheckTests: XCTestCase {
    func testPrecheckNeverSkipsALineThatWouldChange() throws {
        var lines = ["contains secrets inline (sql)", "password", "password = 'x'", "password: x", "PASSWORD=x", "token",
                     "eyJhbGciOiJIUzI1NiJ9.eyJyb29tIjoiKiJ9.c2lnbmF0dXJl", "<auth>AGFsaWNl</auth>", "app_secret\u{00A0}= \"y\"",
                     "sql = { password = \"pw\" }", "a = b", "x: y", "secret_file = \"/k\"", "Session token: nil"]
        var generator = SystemRandomNumberGenerator()
        let pieces = ["password", "secret", "token", "api_key", "Secret", " ", "=", ":", "\"", "'", "x", "[[", "]]", ".", "_",
                      "<auth>", "QUJD", "</auth>", "eyJ", "abcd", "-", "PASSWD", "\u{00A0}", "é"]
        for _ in 0..<6000 {
            lines.append((0..<Int.random(in: 1...8, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined())
        }
        for line in lines where !SecretMasking.mayNeedMasking(line) {
            XCTAssertEqual(SecretMasking.maskEverything(in: line), line, line.debugDescription)
        }
    }
}
