import PasteAnalysis
import XCTest

final class RedactorTests: XCTestCase {
    func testSecretsAreAlwaysMasked() {
        let redactor = Redactor(pseudonymize: false)
        let out = redactor.redact("app_secret = \"hunter2\"\nSession token: eyJhbGciOiJIUzI1NiJ9.eyJyb29tIjoiKiJ9.c2ln\nhost meet.example.org")
        XCTAssertFalse(out.contains("hunter2"))
        XCTAssertFalse(out.contains("eyJhbGciOiJIUzI1NiJ9"))
        XCTAssertTrue(out.contains("meet.example.org"), "no pseudonyms unless asked")
    }

    func testPseudonymsAreConsistentAndKeepServicePrefixes() {
        let redactor = Redactor(pseudonymize: true)
        redactor.seed(hosts: ["meet.jitsi"])
        let config = redactor.redact("""
        VirtualHost "meet.school.org"
        VirtualHost "guest.meet.school.org"
        Component "conference.meet.school.org" "muc"
            admins = { "focus@auth.meet.school.org" }
        VirtualHost "meet.jitsi"
        """)
        XCTAssertEqual(config, """
        VirtualHost "domain1.example"
        VirtualHost "guest.domain1.example"
        Component "conference.domain1.example" "muc"
            admins = { "focus@auth.domain1.example" }
        VirtualHost "domain2.example"
        """)
        let log = redactor.redact("Will verify token for user: 5f2a@meet.school.org/abc, room: maths@conference.meet.school.org from 203.0.113.7 and 2a01:4f8::1")
        XCTAssertEqual(log, "Will verify token for user: user1@domain1.example/abc, room: room1@conference.domain1.example from 192.0.2.1 and 2001:db8::2")
    }

    func testFileNamesModulesTimesAndPublicDomainsStay() {
        let redactor = Redactor(pseudonymize: true)
        let text = "Include \"conf.d/*.cfg.lua\" see https://prosody.im/doc/configure at 10:17:54 in util.jid and config.js, mod_bosh.lua 127.0.0.1"
        XCTAssertEqual(redactor.redact(text), text)
    }

    func testDomainsInsideJitsiFileNames() {
        let redactor = Redactor(pseudonymize: true)
        redactor.seed(hosts: ["meet.example.org"])
        XCTAssertEqual(redactor.redact("/etc/jitsi/meet/meet.example.org-config.js and meet.example.org.crt"),
                       "/etc/jitsi/meet/domain1.example-config.js and domain1.example.crt")
    }
}
