@testable import DeploymentFiles
import Foundation
import XCTest

final class DiscoveryAndSnapshotTests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("pd-root-\(UUID().uuidString)")
        func put(_ relative: String, _ text: String) throws {
            let url = root.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try put("etc/prosody/prosody.cfg.lua", "VirtualHost \"meet.example.com\"\n")
        try put("etc/jitsi/jicofo/jicofo.conf", "jicofo {\n  authentication {\n    enabled = true\n    type = JWT\n    login-url = meet.example.com\n  }\n}\n")
        try put("etc/jitsi/jicofo/sip-communicator.properties", "org.jitsi.jicofo.BRIDGE_MUC=JvbBrewery@internal.auth.meet.example.com\n")
        try put("etc/jitsi/jicofo/config", "JICOFO_AUTH_DOMAIN=auth.meet.example.com\n")
        try put("etc/jitsi/meet/meet.example.com-config.js", "var config = { hosts: { domain: 'meet.example.com', muc: 'conference.meet.example.com' } };\n")
        try put("etc/jitsi/meet/meet.example.com-interface_config.js", "var interfaceConfig = {};\n")
        try put("etc/nginx/sites-available/meet.example.com.conf",
                "server {\n server_name meet.example.com;\n location = /http-bind { proxy_pass http://localhost:5280/http-bind?prefix=$prefix; }\n}\n")
        try put("etc/nginx/sites-available/default", "server { listen 80; }\n")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("etc/nginx/sites-enabled"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("etc/nginx/sites-enabled/meet.example.com.conf").path,
                                                   withDestinationPath: "../sites-available/meet.example.com.conf")
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("etc/nginx/sites-enabled/default").path,
                                                   withDestinationPath: "../sites-available/default")
        try put("etc/nginx/conf.d/other.conf", "upstream x { server 127.0.0.1; }\n")
        try put("var/log/prosody/prosody.log", "")
        try put("var/log/prosody/prosody.log.1.gz", "")
        try put("var/log/prosody/prosody.err", "")
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    func testDiscoveryUnderARoot() {
        let found = DeploymentDiscovery.discover(root: root.path)
        let base = root.path
        XCTAssertEqual(found.prosodyConfig, base + "/etc/prosody/prosody.cfg.lua")
        XCTAssertEqual(found.jicofoConf, base + "/etc/jitsi/jicofo/jicofo.conf")
        XCTAssertEqual(found.jicofoProperties, base + "/etc/jitsi/jicofo/sip-communicator.properties")
        XCTAssertEqual(found.jicofoEnvironment, base + "/etc/jitsi/jicofo/config")
        XCTAssertEqual(found.configJS, [base + "/etc/jitsi/meet/meet.example.com-config.js"])
        XCTAssertEqual(found.nginxSites, [base + "/etc/nginx/sites-enabled/meet.example.com.conf"])
        XCTAssertEqual(found.prosodyLogs, [base + "/var/log/prosody/prosody.log", base + "/var/log/prosody/prosody.log.1.gz"])
    }

    func testEmptyRootFindsNothing() {
        let found = DeploymentDiscovery.discover(root: root.path + "/nothing-here")
        XCTAssertNil(found.prosodyConfig)
        XCTAssertTrue(found.configJS.isEmpty && found.nginxSites.isEmpty && found.prosodyLogs.isEmpty)
    }

    func testSnapshotLoadsEverything() {
        var found = DeploymentDiscovery.discover(root: root.path)
        found.configJS.append(root.path + "/etc/jitsi/meet/vanished-config.js")
        let snapshot = DeploymentSnapshot.load(files: found, certificatePaths: [root.path + "/etc/prosody/certs/missing.crt"])
        XCTAssertEqual(snapshot.jicofo?.authentication?.kind, .jwt)
        XCTAssertEqual(snapshot.jicofo?.authentication?.origin?.line, 3)
        XCTAssertEqual(snapshot.jicofo?.authentication?.origin?.file, found.jicofoConf)
        XCTAssertEqual(snapshot.jicofo?.clientDomain?.value, "auth.meet.example.com")
        XCTAssertEqual(snapshot.jicofo?.clientDomain?.source, .environment)
        XCTAssertEqual(snapshot.configJS.first?.domain?.text, "meet.example.com")
        XCTAssertEqual(snapshot.configJS.first?.muc?.line, 1)
        XCTAssertEqual(snapshot.nginx.first?.locations.first?.proxyPassDropsQuery, true)
        XCTAssertEqual(snapshot.nginx.first?.serverNames, ["meet.example.com"])
        XCTAssertEqual(snapshot.certificates.values.first?.facts, .missing)
        XCTAssertEqual(snapshot.unreadable, [.missing(path: root.path + "/etc/jitsi/meet/vanished-config.js")])
        let summary = snapshot.summary.joined(separator: "\n")
        XCTAssertTrue(summary.contains("authentication enabled, type JWT, domain meet.example.com"), summary)
        XCTAssertTrue(summary.contains("domain=meet.example.com muc=conference.meet.example.com"), summary)
        XCTAssertTrue(summary.contains("1 BOSH and 0 WebSocket locations"), summary)
        XCTAssertTrue(summary.contains("missing.crt: missing"), summary)
    }

    func testCertificatePathsAreReadUnderTheRoot() throws {
        let relative = "etc/prosody/certs/meet.example.com.crt"
        let certificate = try TestCertificates.make(names: ["meet.example.com"], notBefore: Date() - 60, notAfter: Date() + 86_400)
        try Data(certificate.pem.utf8).write(to: root.appendingPathComponent("etc/prosody").appendingPathComponent("certs.crt"))
        try FileManager.default.createDirectory(at: root.appendingPathComponent("etc/prosody/certs"), withIntermediateDirectories: true)
        try Data(certificate.pem.utf8).write(to: root.appendingPathComponent(relative))
        let found = DeploymentDiscovery.discover(root: root.path + "/")
        let asWritten = "/" + relative
        let alreadyRooted = root.path + "/etc/prosody/certs.crt"
        let snapshot = DeploymentSnapshot.load(files: found, certificatePaths: [asWritten, alreadyRooted])
        XCTAssertNotNil(snapshot.certificates[asWritten]?.facts.info, "\(String(describing: snapshot.certificates[asWritten]))")
        XCTAssertNotNil(snapshot.certificates[alreadyRooted]?.facts.info)
        XCTAssertEqual(rerooted("/etc/x", under: "/"), "/etc/x")
        XCTAssertEqual(rerooted("/etc/x", under: "/srv/copy/"), "/srv/copy/etc/x")
        XCTAssertEqual(rerooted("/srv/copy/etc/x", under: "/srv/copy"), "/srv/copy/etc/x")
        XCTAssertEqual(rerooted("certs/x", under: "/srv/copy"), "certs/x")
    }

    func testBinaryFileIsRecordedNotRead() throws {
        let path = root.appendingPathComponent("etc/jitsi/jicofo/jicofo.conf")
        try Data([0x00, 0x01, 0x02, 0xFF]).write(to: path)
        let snapshot = DeploymentSnapshot.load(files: DiscoveredFiles(root: root.path, jicofoConf: path.path))
        XCTAssertNil(snapshot.jicofo)
        XCTAssertEqual(snapshot.unreadable, [.notText(path: path.path)])
    }
}
