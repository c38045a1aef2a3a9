import Doctor
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
