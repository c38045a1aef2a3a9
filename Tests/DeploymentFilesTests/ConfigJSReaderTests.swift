@testable import DeploymentFiles
import XCTest

final class ConfigJSReaderTests: XCTestCase {
    func testObjectLiteralAndStatementFormsLaterWins() {
        let doc = ConfigJSReader.read("""
        var subdomain = '<!--# echo var="subdomain" default="" -->';
        var config = {
            hosts: {
                domain: 'jitsi-meet.example.com',
                // anonymousdomain: 'guest.example.com',
                muc: 'conference.' + subdomain + 'jitsi-meet.example.com', // comment
            },
            bosh: '//jitsi-meet.example.com/http-bind',
            testing: { enabled: true },
        };
        config.hosts.domain = 'meet.jitsi';
        config.websocket = 'wss://meet.example.com/' + subdir + 'xmpp-websocket';
        """)
        XCTAssertEqual(doc["hosts.domain"]?.text, "meet.jitsi")
        XCTAssertEqual(doc["hosts.domain"]?.line, 11)
        XCTAssertNil(doc["hosts.anonymousdomain"])
        XCTAssertEqual(doc["hosts.muc"]?.text, "conference.jitsi-meet.example.com")
        XCTAssertEqual(doc["hosts.muc"]?.unresolved, ["subdomain"])
        XCTAssertFalse(doc["hosts.muc"]?.isLiteral ?? true)
        XCTAssertEqual(doc["hosts.muc"]?.line, 6)
        XCTAssertEqual(doc["bosh"]?.text, "//jitsi-meet.example.com/http-bind")
        XCTAssertEqual(doc["testing.enabled"]?.text, "true")
        XCTAssertEqual(doc["websocket"]?.text, "wss://meet.example.com/xmpp-websocket")
        XCTAssertTrue(doc.sawConfig)
    }

    func testSpreadDoubleQuotesMultilineConcatenationAndNonConfigObjects() {
        let doc = ConfigJSReader.read("""
        var other = { hosts: { domain: 'not.config' } };
        config.hosts = {
            ...config.hosts,
            domain: "localhost",
            muc: 'conference.'
                + "localhost",
        };
        config.tokenAuthUrl = `https://auth.example.com/{room}`;
        """)
        XCTAssertEqual(doc["hosts.domain"]?.text, "localhost")
        XCTAssertEqual(doc["hosts.domain"]?.line, 4)
        XCTAssertEqual(doc["hosts.muc"]?.text, "conference.localhost")
        XCTAssertEqual(doc["tokenAuthUrl"]?.text, "https://auth.example.com/{room}")
        XCTAssertEqual(doc.assignments.filter { $0.path == "hosts.domain" }.count, 1)
    }

    func testHostileInputsDoNotCrash() {
        for input in Corpus.hostileInputs { _ = ConfigJSReader.read(input) }
        _ = ConfigJSReader.read("config.hosts.domain = ")
        _ = ConfigJSReader.read("config")
        _ = ConfigJSReader.read("var config = { hosts: { domain: ")
    }

    func testEveryCorpusConfigJSIsRead() throws {
        try Corpus.skipUnlessPresent()
        for path in try Corpus.files("config-js") {
            let doc = ConfigJSReader.read(try Corpus.text(path))
            // fishmeet-config.js has its hosts override inside a /* */ comment.
            if !path.contains("fishmeet-config") { XCTAssertNotNil(doc["hosts.domain"], path) }
        }
        for path in try Corpus.files("templates") where path.hasSuffix(".js") || path.hasSuffix("config.js") {
            _ = ConfigJSReader.read(try Corpus.text(path))
        }
    }

    func testCorpusFactsByHand() throws {
        try Corpus.skipUnlessPresent()
        func read(_ name: String) throws -> ConfigJSDocument { ConfigJSReader.read(try Corpus.text("config-js/" + name)) }

        let getters = try read("getters-dev__meet__jitsi-meet-cfg__web__config.js")
        XCTAssertEqual(getters["hosts.domain"]?.text, "meet.jitsi", "statement override after the object literal wins")
        XCTAssertEqual(getters["hosts.domain"]?.line, 944)
        XCTAssertEqual(getters["hosts.muc"]?.text, "muc.meet.jitsi")
        XCTAssertEqual(getters["hosts.anonymousdomain"]?.text, "guest.meet.jitsi")
        XCTAssertEqual(getters["hosts.authdomain"]?.text, "meet.jitsi")

        let elvis = try read("Elvisthomme__meet-shcare-config__web__config__config.js")
        XCTAssertEqual(elvis["hosts.domain"]?.text, "meet.jitsi")
        XCTAssertEqual(elvis["hosts.muc"]?.text, "muc.meet.jitsi")
        XCTAssertEqual(elvis["hosts.muc"]?.line, 17)
        XCTAssertEqual(elvis["hosts.anonymousdomain"]?.text, "guest.meet.jitsi")
        XCTAssertEqual(elvis["bosh"]?.text, "/http-bind")
        XCTAssertEqual(elvis["websocket"]?.text, "wss://meet.shcare.fr/xmpp-websocket")

        let fish = try read("gracetech-services__jitsi-meet__fishmeet__fishmeet-config.js")
        XCTAssertNil(fish["hosts.domain"], "the spread override is commented out with /* */")
        XCTAssertEqual(fish["websocket"]?.text, nil)
        XCTAssertEqual(ConfigJSReader.read("var config;\n" + (try Corpus.text("config-js/gracetech-services__jitsi-meet__fishmeet__fishmeet-config.js"))
            .components(separatedBy: "\n")[7...11].joined(separator: "\n") + "\n};")["hosts.muc"]?.text, "conference.localhost")

        let alpha = try read("gracetech-services__jitsi-meet__fishmeet__local__pointing2jitsi__alpha-jitsi-net.js")
        XCTAssertEqual(alpha["hosts.domain"]?.text, "alpha.jitsi.net")
        XCTAssertEqual(alpha["hosts.muc"]?.text, "conference.alpha.jitsi.net")
        XCTAssertTrue(alpha["hosts.muc"]?.isLiteral ?? false)

        let samma = try read("jdtheefirst__samma__jitsi-config__web__config.js")
        XCTAssertEqual(samma["hosts.domain"]?.text, "test.worldsamma.org")
        XCTAssertEqual(samma["hosts.muc"]?.text, "muc.test.worldsamma.org")

        let freebsd = try read("pattems__Jitsi-on-FreeBSD-12.1__config.js")
        XCTAssertEqual(freebsd["hosts.domain"]?.text, "<jitsi.example.com>")
        XCTAssertTrue(freebsd["hosts.domain"]?.looksLikePlaceholder ?? false)
        XCTAssertNil(freebsd["hosts.anonymousdomain"])

        let ssi = try read("zhengyi0802__webrtc01-site__etc__jitsi__meet__webrtc01.mundi-tv.tk-config.js")
        XCTAssertEqual(ssi["hosts.muc"]?.text, "conference.webrtc01.mundi-tv.tk", "the SSI echo is replaced by its default")
        XCTAssertEqual(ssi["hosts.muc"]?.unresolved, ["subdomain"])
        XCTAssertTrue(ssi["hosts.muc"]?.raw.contains("<!--# echo") ?? false)
        XCTAssertEqual(ssi["hosts.muc"]?.line, 27)

        let swarm = try read("tle211212__swarm-jitsi-meet__jitsi-meet-cfg__web__config.js")
        XCTAssertEqual(swarm["hosts.domain"]?.text, "auth.meetjitsi")
        XCTAssertEqual(swarm["hosts.anonymousdomain"]?.text, "meetjitsi")

        let truncated = try read("digitalocean__droplet-1-clicks__issue137.js")
        XCTAssertEqual(truncated["hosts.domain"]?.text, "jitsi.codo.earth")
        XCTAssertEqual(truncated["hosts.anonymousdomain"]?.text, "guest.jitsi.codo.earth")

        let upstream = try read("jitsi__jitsi-meet@5a4ffea9__config.js")
        XCTAssertEqual(upstream["hosts.domain"]?.text, "jitsi-meet.example.com")
        XCTAssertEqual(upstream["hosts.muc"]?.text, "conference.jitsi-meet.example.com")
    }
}
