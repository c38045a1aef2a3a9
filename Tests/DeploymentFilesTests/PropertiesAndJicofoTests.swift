@testable import DeploymentFiles
import XCTest

final class PropertiesAndJicofoTests: XCTestCase {
    func testPropertiesSyntax() {
        let doc = PropertiesReader.read("""
        # comment
        ! also a comment

        a=1
        b : two words
        c   spaced
        long=first \\
             second \\
             third
        esc\\=key=x\\u0041
        quoted="XMPP:meet.example.com"
        a=last
        """)
        XCTAssertEqual(doc["a"]?.value, "last")
        XCTAssertEqual(doc["a"]?.line, 12)
        XCTAssertEqual(doc["b"]?.value, "two words")
        XCTAssertEqual(doc["c"]?.value, "spaced")
        XCTAssertEqual(doc["long"]?.value, "first second third")
        XCTAssertEqual(doc["long"]?.line, 7)
        XCTAssertEqual(doc["esc=key"]?.value, "xA")
        XCTAssertEqual(doc["quoted"]?.value, "\"XMPP:meet.example.com\"")
    }

    func testHostileInputsDoNotCrash() {
        for input in Corpus.hostileInputs { _ = PropertiesReader.read(input) }
    }

    func testLegacyAuthenticationURL() throws {
        let props = PropertiesReader.read("org.jitsi.jicofo.auth.URL=EXT_JWT:meet.example.com\norg.jitsi.jicofo.DISABLE_AUTO_OWNER=true\n")
        let settings = JicofoSettings(hocon: nil, hoconPath: nil, properties: props, propertiesPath: "/etc/jitsi/jicofo/sip-communicator.properties")
        let auth = try XCTUnwrap(settings.authentication)
        XCTAssertTrue(auth.enabled)
        XCTAssertEqual(auth.kind, .jwt)
        XCTAssertEqual(auth.typeText, "EXT_JWT")
        XCTAssertEqual(auth.loginURL, "meet.example.com")
        XCTAssertEqual(auth.origin?.line, 1)
        XCTAssertEqual(auth.origin?.source, .properties)
        XCTAssertFalse(settings.autoOwnerEnabled)
    }

    func testHOCONAuthenticationAndLegacyPrecedence() {
        let hocon = HOCONReader.read("jicofo {\n authentication {\n  enabled = true\n  type = XMPP\n  login-url = meet.example.com\n }\n conference.enable-auto-owner = false\n xmpp.client.domain = auth.meet.example.com\n}\n")
        let fromHOCON = JicofoSettings(hocon: hocon, hoconPath: "jicofo.conf", properties: nil, propertiesPath: nil)
        XCTAssertEqual(fromHOCON.authentication?.enabled, true)
        XCTAssertEqual(fromHOCON.authentication?.kind, .xmpp)
        XCTAssertEqual(fromHOCON.authentication?.origin?.line, 3)
        XCTAssertEqual(fromHOCON.authentication?.loginURLSetting?.line, 5)
        XCTAssertFalse(fromHOCON.autoOwnerEnabled)
        XCTAssertEqual(fromHOCON.clientDomain?.value, "auth.meet.example.com")
        let both = JicofoSettings(hocon: hocon, hoconPath: "jicofo.conf",
                                  properties: PropertiesReader.read("org.jitsi.jicofo.auth.URL=EXT_JWT:other.example.com"),
                                  propertiesPath: "sip.properties")
        XCTAssertEqual(both.authentication?.loginURL, "other.example.com", "jicofo reads the legacy key first")
        let none = JicofoSettings(hocon: HOCONReader.read("jicofo { bridge { brewery-jid = \"x@y\" } }"), hoconPath: "j", properties: nil, propertiesPath: nil)
        XCTAssertNil(none.authentication)
        XCTAssertTrue(none.autoOwnerEnabled)
    }

    func testEveryCorpusPropertiesFileIsRead() throws {
        try Corpus.skipUnlessPresent()
        for path in try Corpus.files("jicofo") where path.hasSuffix(".properties") || path.hasSuffix("__config") {
            let doc = PropertiesReader.read(try Corpus.text(path))
            XCTAssertFalse(doc.entries.isEmpty, path)
        }
    }

    func testCorpusFactsByHand() throws {
        try Corpus.skipUnlessPresent()
        func auth(_ file: String) throws -> JicofoAuthentication? {
            JicofoSettings(hocon: nil, hoconPath: nil, properties: PropertiesReader.read(try Corpus.text("jicofo/" + file)),
                           propertiesPath: file).authentication
        }
        let debalance = try auth("debalance__meet.debalance.de__etc__jitsi__jicofo__sip-communicator.properties")
        XCTAssertEqual(debalance?.kind, .xmpp)
        XCTAssertEqual(debalance?.loginURL, "debalance.de")
        let lab = try auth("LabTrendig__docker-jitsi-meet__.jitsi-meet-cfg__jicofo__sip-communicator.properties")
        XCTAssertEqual(lab?.kind, .jwt)
        XCTAssertEqual(lab?.loginURL, "meet.jitsi")
        let swarm = try auth("tle211212__swarm-jitsi-meet__jitsi-meet-cfg__jicofo__sip-communicator.properties")
        XCTAssertEqual(swarm?.loginURL, "auth.meetjitsi")
        XCTAssertNil(try auth("velsivam__jitsi__.jitsi-meet-cfg__jicofo__sip-communicator.properties"))
        let env = PropertiesReader.read(try Corpus.text("jicofo/zhengyi0802__webrtc01-site__etc__jitsi__jicofo__config"))
        XCTAssertEqual(env["JICOFO_AUTH_DOMAIN"]?.value, "auth.webrtc01.mundi-tv.tk")

        let hoconPath = "jicofo/tranphuocloc070699__jitsi-docker__jitsi-meet-cfg__jicofo__jicofo.conf"
        let tran = JicofoSettings(hocon: HOCONReader.read(try Corpus.text(hoconPath)), hoconPath: hoconPath, properties: nil, propertiesPath: nil)
        XCTAssertEqual(tran.authentication?.kind, .jwt)
        XCTAssertEqual(tran.authentication?.loginURL, "meeting.gamesrcs.com")
        let poginiPath = "jicofo/poginipaul__jitsi-meet-onesol__jicofo__jicofo.conf"
        let pogini = JicofoSettings(hocon: HOCONReader.read(try Corpus.text(poginiPath)), hoconPath: poginiPath, properties: nil, propertiesPath: nil)
        XCTAssertEqual(pogini.clientDomain?.value, "auth.meet.jitsi")
        XCTAssertEqual(pogini.xmppDomain?.value, "video.onesolutions.net")
    }
}
