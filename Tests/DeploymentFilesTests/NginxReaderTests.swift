@testable import DeploymentFiles
import XCTest

final class NginxReaderTests: XCTestCase {
    func testServersLocationsOneLineBlocksAndVariables() {
        let doc = NginxReader.read("""
        map $http_upgrade $connection_upgrade { default upgrade; '' close; }
        server {
            listen 443 ssl;
            server_name meet.example.com www.meet.example.com;
            include snippets/ssl.conf;
            location = /http-bind { proxy_pass http://127.0.0.1:5280/http-bind?prefix=$prefix&$args; }
            location ~ ^/([^/?&:'"]+)/http-bind {
                set $subdomain "$1.";
                set $subdir "$1/";
                set $prefix "$1";
                rewrite ^/(.*)$ /http-bind;
            }
            location = /xmpp-websocket {
                proxy_pass http://${backend}/xmpp-websocket?prefix=$prefix;
            }
            location /other { proxy_pass http://$upstream; }
        }
        """)
        XCTAssertEqual(doc.servers.map(\.serverNames), [["meet.example.com", "www.meet.example.com"]])
        XCTAssertEqual(doc.locations.count, 4)
        let bosh = doc.boshLocations
        XCTAssertEqual(bosh.map(\.line), [6, 7])
        XCTAssertEqual(bosh[0].modifier, "=")
        XCTAssertEqual(bosh[0].proxyPass?.value, "http://127.0.0.1:5280/http-bind?prefix=$prefix&$args")
        XCTAssertFalse(bosh[0].proxyPassDropsQuery)
        XCTAssertEqual(bosh[1].modifier, "~")
        XCTAssertEqual(bosh[1].path, "^/([^/?&:'\"]+)/http-bind")
        XCTAssertEqual(bosh[1].sets.count, 3)
        XCTAssertEqual(bosh[1].rewrites.first?.line, 11)
        let ws = doc.websocketLocations[0]
        XCTAssertEqual(ws.proxyPass?.line, 14)
        XCTAssertTrue(ws.proxyPassDropsQuery)
        XCTAssertFalse(doc.locations[3].proxyPassDropsQuery, "no URI part: nginx passes the request URI")
        XCTAssertEqual(doc.includes.map(\.value), ["snippets/ssl.conf"])
    }

    func testFixedURLsForwardTheQuery() {
        for target in ["http://localhost:5280/http-bind", "http://prosody:5280/xmpp-websocket", "http://$up$request_uri",
                       "http://x/http-bind?prefix=$prefix&$args", "http://x/http-bind$is_args$args"] {
            let doc = NginxReader.read("location /http-bind { proxy_pass \(target); }")
            XCTAssertFalse(doc.locations[0].proxyPassDropsQuery, target)
        }
        XCTAssertTrue(NginxReader.read("location /http-bind { proxy_pass http://x/http-bind?prefix=$prefix; }").locations[0].proxyPassDropsQuery)
    }

    func testUnbalancedAndHostileInputs() {
        let doc = NginxReader.read("location /http-bind {\n proxy_pass http://x/http-bind\n")
        XCTAssertEqual(doc.locations.first?.proxyPass?.value, "http://x/http-bind")
        XCTAssertFalse(doc.unbalanced.isEmpty)
        for input in Corpus.hostileInputs { _ = NginxReader.read(input) }
    }

    func testEveryCorpusNginxFileIsReadAndNoneDropsTheQuery() throws {
        try Corpus.skipUnlessPresent()
        var withTransport = 0
        for path in try Corpus.files("nginx") + Corpus.files("templates") {
            let doc = NginxReader.read(try Corpus.text(path))
            if path.hasPrefix("nginx/") {
                let transport = doc.boshLocations + doc.websocketLocations
                if !transport.isEmpty { withTransport += 1 }
                for location in transport {
                    XCTAssertFalse(location.proxyPassDropsQuery, "\(path):\(location.line) \(location.proxyPass?.value ?? "")")
                }
            }
        }
        XCTAssertGreaterThan(withTransport, 30)
    }

    func testCorpusFactsByHand() throws {
        try Corpus.skipUnlessPresent()
        let upstream = NginxReader.read(try Corpus.text("nginx/jitsi__jitsi-meet@ebfc5a95__doc__debian__jitsi-meet__jitsi-meet.example"))
        let rootBOSH = try XCTUnwrap(upstream.boshLocations.first { $0.path == "/http-bind" })
        XCTAssertEqual(rootBOSH.line, 46)
        XCTAssertEqual(rootBOSH.proxyPass?.value, "http://localhost:5280/http-bind")
        XCTAssertEqual(rootBOSH.proxyPass?.line, 47)
        let tenant = try XCTUnwrap(upstream.boshLocations.first { $0.modifier == "~" })
        XCTAssertEqual(tenant.line, 76)
        XCTAssertEqual(tenant.rewrites.first?.line, 81)

        let newest = NginxReader.read(try Corpus.text("nginx/Talent-Abundance__jitis-server-production__jitsi-meet__doc__debian__jitsi-meet__jitsi-meet.example"))
        XCTAssertTrue(newest.websocketLocations.contains { ($0.proxyPass?.value ?? "").contains("$args") })

        let proxy = NginxReader.read(try Corpus.text("nginx/amiirsadeghi__jitsi-stack-selfhosted__nginx__jitsi.conf"))
        XCTAssertEqual(proxy.websocketLocations.first?.proxyPass?.value, "http://prosody:5280/xmpp-websocket")
        XCTAssertEqual(proxy.servers.first?.serverNames, ["your_domain_url"])
    }
}
