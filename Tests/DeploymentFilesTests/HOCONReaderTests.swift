@testable import DeploymentFiles
import XCTest

final class HOCONReaderTests: XCTestCase {
    func testNestedDottedColonAndEqualsForms() {
        let doc = HOCONReader.read("""
        # comment
        jicofo {
          // another comment
          authentication: {
            enabled = true
            type: JWT
            login-url = "meet.jitsi"   # trailing
            authentication-lifetime = 24 hours
          }
          xmpp.client.domain = auth.meet.jitsi
          trusted-domains = [ "" ]
          list: [ a, "b",
                  c ]
        }
        jicofo.conference.enable-auto-owner: false
        """)
        XCTAssertEqual(doc["jicofo.authentication.enabled"]?.value.boolValue, true)
        XCTAssertEqual(doc["jicofo.authentication.enabled"]?.line, 5)
        XCTAssertEqual(doc["jicofo.authentication.type"]?.value.text, "JWT")
        XCTAssertEqual(doc["jicofo.authentication.login-url"]?.value, .string("meet.jitsi", quoted: true))
        XCTAssertEqual(doc["jicofo.authentication.authentication-lifetime"]?.value.text, "24 hours")
        XCTAssertEqual(doc["jicofo.xmpp.client.domain"]?.value.text, "auth.meet.jitsi")
        XCTAssertEqual(doc["jicofo.trusted-domains"]?.value, .array([""]))
        XCTAssertEqual(doc["jicofo.list"]?.value, .array(["a", "b", "c"]))
        XCTAssertEqual(doc["jicofo.conference.enable-auto-owner"]?.value.boolValue, false)
        XCTAssertEqual(doc["jicofo.conference.enable-auto-owner"]?.line, 15)
        XCTAssertEqual(doc.objects["jicofo.authentication"], 4)
        XCTAssertTrue(doc.hasObject("jicofo.xmpp"))
    }

    func testIncludesSubstitutionsCRLFStraySemicolonAndBlockAfterClose() {
        let doc = HOCONReader.read("jicofo {\r\n  a = ${jicofo.b}\r\n  c = ${?X}\r\n;\r\n}\r\nconference {\r\n  enable-auto-owner: false\r\n}\r\ninclude \"custom-jicofo.conf\"\r\ninclude required(\"x.conf\")")
        XCTAssertEqual(doc["jicofo.a"]?.value, .substitution("jicofo.b"))
        XCTAssertEqual(doc["jicofo.c"]?.value, .substitution("?X"))
        XCTAssertEqual(doc["conference.enable-auto-owner"]?.line, 7)
        XCTAssertNil(doc["jicofo.conference.enable-auto-owner"])
        XCTAssertEqual(doc.includes, [LocatedValue("custom-jicofo.conf", line: 9), LocatedValue("x.conf", line: 10)])
    }

    func testLastAssignmentWinsAndQuotedKeys() {
        let doc = HOCONReader.read("a { \"b.c\" = 1 }\na.x = 1\na { x = 2 }\n")
        XCTAssertEqual(doc["a.x"]?.value.text, "2")
        XCTAssertEqual(doc["a.x"]?.line, 3)
        XCTAssertEqual(doc["a.b.c"]?.value.text, "1")
    }

    func testHostileInputsDoNotCrash() {
        for input in Corpus.hostileInputs { _ = HOCONReader.read(input) }
    }

    func testEveryCorpusHOCONFileIsRead() throws {
        try Corpus.skipUnlessPresent()
        var read = 0
        for path in try Corpus.files("jicofo") + Corpus.files("templates") where path.hasSuffix(".conf") || path.contains("jicofo.conf") {
            let doc = HOCONReader.read(try Corpus.text(path))
            read += 1
            if path.hasPrefix("jicofo/") && !path.contains("FreeBSD") {
                XCTAssertFalse(doc.entries.isEmpty, path)
            }
        }
        XCTAssertGreaterThan(read, 25)
    }

    func testCorpusFactsByHand() throws {
        try Corpus.skipUnlessPresent()
        let ameya = HOCONReader.read(try Corpus.text("jicofo/ameya-kawade__vaultbox-jitsi-meet__.jitsi-meet-cfg__jicofo__jicofo.conf"))
        XCTAssertEqual(ameya["jicofo.authentication.enabled"]?.value.boolValue, true)
        XCTAssertEqual(ameya["jicofo.authentication.type"]?.value.text, "JWT")
        XCTAssertEqual(ameya["jicofo.authentication.login-url"]?.value.text, "meet.jitsi")
        XCTAssertEqual(ameya["jicofo.authentication.login-url"]?.line, 14)
        XCTAssertEqual(ameya["jicofo.authentication.authentication-lifetime"]?.value.text, "24 hours")
        XCTAssertEqual(ameya.entries.first { $0.key.hasSuffix("trusted-domains") }?.value, .array([""]))

        let chinmay = HOCONReader.read(try Corpus.text("jicofo/Chinmay-Kulkarni-MavionTech__evalynx-meet__jicofo.conf"))
        XCTAssertEqual(chinmay["conference.enable-auto-owner"]?.value.boolValue, false, "block after jicofo's close is top-level")
        XCTAssertNil(chinmay["jicofo.conference.enable-auto-owner"])
        XCTAssertEqual(chinmay["jicofo.xmpp.client.hostname"]?.value.text, "localhost")

        let blc = HOCONReader.read(try Corpus.text("jicofo/blc-iletisim__blc-jitsi__etc__jitsi__jicofo__jicofo.conf"))
        XCTAssertEqual(blc["jicofo.xmpp.client.client-proxy"]?.value, .string("focus.jitsi.blc-meet.com", quoted: false))
        XCTAssertEqual(blc["jicofo.xmpp.trusted-domains"]?.value, .array(["recorder.jitsi.blc-meet.com"]))
        XCTAssertEqual(blc["jicofo.bridge.brewery-jid"]?.line, 11)

        let reference = HOCONReader.read(try Corpus.text("jicofo/jitsi__jicofo@6e51170__jicofo-common__src__main__resources__reference.conf"))
        XCTAssertTrue(reference.entries.contains { $0.value == .substitution("jicofo.xmpp.client.username") })

        let gopal = HOCONReader.read(try Corpus.text("jicofo/Gopalakrishna530__jitsi2__.jitsi-meet-cfg__jicofo__jicofo.conf"))
        XCTAssertEqual(gopal.includes.map(\.value), ["custom-jicofo.conf"])

        let getters = HOCONReader.read(try Corpus.text("jicofo/getters-dev__meet__jitsi-meet-cfg__jicofo__jicofo.conf"))
        XCTAssertEqual(getters["jicofo.authentication.type"]?.value.text, "XMPP")
        XCTAssertEqual(getters.entries.first { $0.key.hasSuffix("jibri.pending-timeout") }?.value, .string("90", quoted: true))

        let old = HOCONReader.read(try Corpus.text("jicofo/jitsi__jicofo@137c67e__src__main__resources__reference.conf"))
        XCTAssertEqual(old["jicofo.authentication.enabled"]?.value.boolValue, false)
        XCTAssertNil(old["jicofo.authentication.login-url"], "commented out with #")
    }
}
