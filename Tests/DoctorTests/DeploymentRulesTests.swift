import Crypto
import DeploymentFiles
@testable import Doctor
import Foundation
import ProsodyConfig
import SwiftASN1
import X509
import XCTest

/// DPL9xx over real corpus files and generated certificates.
final class DeploymentRulesTests: XCTestCase {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpus/jitsi")

    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pd-dpl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    func corpus(_ relative: String) throws -> String {
        let path = Self.corpus.appendingPathComponent(relative).path
        try XCTSkipUnless(FileManager.default.fileExists(atPath: path), "corpus not found")
        return path
    }

    /// Loads `config` as prosody.cfg.lua and runs every rule with the given files around it.
    func run(_ config: String, files: DiscoveredFiles? = nil, now: Date = Date(), deployment: Bool = true) throws -> [Finding] {
        let main = directory.appendingPathComponent("prosody.cfg.lua")
        try Data(config.utf8).write(to: main)
        let loaded = ConfigLoader().load(path: main.path)
        var context = AnalysisContext(configuration: loaded.configuration, sources: loaded.sources)
        if deployment {
            context.deployment = DeploymentSnapshot.load(
                files: files ?? DiscoveredFiles(root: directory.path),
                certificatePaths: CertificateReferences.paths(in: loaded.configuration), now: now)
        }
        return Engine().run(context).filter { $0.ruleID.hasPrefix("DPL") }
    }

    func write(_ text: String, _ name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    static let dockerProsody = """
    VirtualHost "meet.jitsi"
        authentication = "token"
        app_id = "my_app"
        app_secret = "super-secret-value"
        allow_empty_token = true
    VirtualHost "auth.meet.jitsi"
        authentication = "internal_hashed"
    VirtualHost "guest.meet.jitsi"
        authentication = "jitsi-anonymous"
    Component "muc.meet.jitsi" "muc"
    Component "internal-muc.meet.jitsi" "muc"
    """

    func testSilentWithoutDeploymentFiles() throws {
        let findings = try run("VirtualHost \"x.example\"\n    ssl = { certificate = \"nope.crt\" }\n", deployment: false)
        XCTAssertEqual(findings.map(\.ruleID), [])
    }

    func testDockerJWTWithGuestsAndJicofoAuthMakesEveryoneModerator() throws {
        let jicofo = try corpus("jicofo/ameya-kawade__vaultbox-jitsi-meet__.jitsi-meet-cfg__jicofo__jicofo.conf")
        let web = try corpus("config-js/ameya-kawade__vaultbox-jitsi-meet__.jitsi-meet-cfg__web__config.js")
        let findings = try run(Self.dockerProsody, files: DiscoveredFiles(jicofoConf: jicofo, configJS: [web]))
        XCTAssertEqual(findings.map(\.ruleID), ["DPL904"], findings.map(\.message).joined(separator: "\n"))
        let finding = try XCTUnwrap(findings.first)
        XCTAssertEqual(finding.location?.file, jicofo)
        XCTAssertEqual(finding.location?.line, 9)
        XCTAssertTrue(finding.message.contains("\"meet.jitsi\""))
        XCTAssertFalse(finding.message.contains("super-secret-value"))
        XCTAssertTrue(finding.related.contains { $0.note.contains("allow_empty_token") && $0.location.line == 5 })
        XCTAssertEqual(finding.severity, .warning)
        XCTAssertEqual(finding.category, .security)
    }

    func testConfigJSHostsAgainstProsody() throws {
        // poginipaul's config.js names the public host as XMPP domain; its Prosody is docker's meet.jitsi.
        let web = try corpus("config-js/poginipaul__jitsi-meet-onesol__web__config.js")
        let findings = try run(Self.dockerProsody, files: DiscoveredFiles(configJS: [web]))
        let ids = findings.map(\.ruleID)
        XCTAssertTrue(ids.contains("DPL901"), "\(ids)")
        let domain = try XCTUnwrap(findings.first { $0.ruleID == "DPL901" && $0.message.contains("hosts.domain") })
        XCTAssertEqual(domain.location?.file, web)
        XCTAssertTrue(domain.message.contains("video.onesolutions.net"))
        XCTAssertTrue(domain.message.contains("\"meet.jitsi\""))

        let tenantMUC = try write("config.hosts.domain = 'meet.jitsi';\nconfig.hosts.muc = 'conference.' + subdomain + 'meet.jitsi';\nconfig.hosts.anonymousdomain = 'guests.meet.jitsi';\n", "t-config.js")
        let more = try run(Self.dockerProsody, files: DiscoveredFiles(configJS: [tenantMUC]))
        XCTAssertEqual(Set(more.map(\.ruleID)), ["DPL902", "DPL903"])
        let muc = try XCTUnwrap(more.first { $0.ruleID == "DPL903" })
        XCTAssertEqual(muc.location?.line, 2)
        XCTAssertEqual(muc.confidence, .likely)
        XCTAssertTrue(muc.message.contains("\"muc.meet.jitsi\""), muc.message)
        XCTAssertEqual(more.first { $0.ruleID == "DPL902" }?.location?.line, 3)
    }

    func testJicofoDomains() throws {
        let pogini = try corpus("jicofo/poginipaul__jitsi-meet-onesol__jicofo__jicofo.conf")
        let prosody = """
        VirtualHost "video.onesolutions.net"
        VirtualHost "auth.video.onesolutions.net"
            authentication = "internal_hashed"
        Component "muc.video.onesolutions.net" "muc"
        """
        let findings = try run(prosody, files: DiscoveredFiles(jicofoConf: pogini))
        XCTAssertEqual(findings.map(\.ruleID), ["DPL914"])
        XCTAssertTrue(findings[0].message.contains("focus@auth.meet.jitsi"))
        XCTAssertEqual(findings[0].location?.file, pogini)

        // Debian before 2022-10: focus's domain is in /etc/jitsi/jicofo/config.
        let env = try corpus("jicofo/zhengyi0802__webrtc01-site__etc__jitsi__jicofo__config")
        let legacy = try run("VirtualHost \"webrtc01.mundi-tv.tk\"\n", files: DiscoveredFiles(jicofoEnvironment: env))
        XCTAssertEqual(legacy.map(\.ruleID), ["DPL914"])
        XCTAssertEqual(legacy.first?.location?.line, 15)
        XCTAssertEqual(legacy.first?.fix?.message.hasPrefix("Set JICOFO_AUTH_DOMAIN"), true)
        XCTAssertTrue(try run("VirtualHost \"webrtc01.mundi-tv.tk\"\nVirtualHost \"auth.webrtc01.mundi-tv.tk\"\n",
                              files: DiscoveredFiles(jicofoEnvironment: env)).isEmpty)

        let swarm = try corpus("jicofo/tle211212__swarm-jitsi-meet__jitsi-meet-cfg__jicofo__sip-communicator.properties")
        let web = try write("config.hosts.domain = 'meetjitsi';\n", "s-config.js")
        let mismatch = try run("VirtualHost \"meetjitsi\"\nVirtualHost \"auth.meetjitsi\"\n",
                               files: DiscoveredFiles(jicofoProperties: swarm, configJS: [web]))
        XCTAssertEqual(mismatch.map(\.ruleID), ["DPL905"])
        XCTAssertEqual(mismatch.first?.location?.file, swarm)
        XCTAssertTrue(mismatch.first?.message.contains("\"auth.meetjitsi\"") ?? false)
    }

    func testNginx() throws {
        let upstream = try corpus("nginx/jitsi__jitsi-meet@ebfc5a95__doc__debian__jitsi-meet__jitsi-meet.example")
        XCTAssertEqual(try run("VirtualHost \"meet.example.com\"\n", files: DiscoveredFiles(nginxSites: [upstream])).map(\.ruleID), [])
        let site = try write("server {\n  server_name meet.example.com;\n  location ~ ^/([^/]+)/xmpp-websocket {\n    set $prefix \"$1\";\n    proxy_pass http://127.0.0.1:5280/xmpp-websocket?prefix=$prefix;\n  }\n}\n", "site.conf")
        let findings = try run("VirtualHost \"meet.example.com\"\n", files: DiscoveredFiles(nginxSites: [site]))
        XCTAssertEqual(findings.map(\.ruleID), ["DPL906"])
        XCTAssertEqual(findings.first?.location?.line, 5)
        XCTAssertEqual(findings.first?.related.first?.location.line, 3)
        XCTAssertEqual(findings.first?.fix?.message, "Append the query string: proxy_pass http://127.0.0.1:5280/xmpp-websocket?prefix=$prefix&$args;")
    }

    func makeCertificate(_ names: [String], notBefore: Date, notAfter: Date) throws -> String {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName(names.first ?? "x") }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: notBefore, notValidAfter: notAfter, issuer: name, subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions { SubjectAlternativeNames(names.map { GeneralName.dnsName($0) }) },
            issuerPrivateKey: .init(key))
        return try certificate.serializeAsPEM().pemString + "\n"
    }

    func testCertificates() throws {
        let now = Date()
        let day: TimeInterval = 86_400
        _ = try write(try makeCertificate(["meet.example.com"], notBefore: now - 100 * day, notAfter: now + 60 * day), "certs/valid.crt")
        _ = try write(try makeCertificate(["meet.example.com"], notBefore: now - 100 * day, notAfter: now - day), "certs/expired.crt")
        _ = try write(try makeCertificate(["meet.example.com"], notBefore: now - 100 * day, notAfter: now + 5 * day), "certs/soon.crt")
        _ = try write(try makeCertificate(["other.example.org"], notBefore: now - day, notAfter: now + 60 * day), "certs/other.crt")
        _ = try write(P256.Signing.PrivateKey().pemRepresentation, "certs/key.pem")
        let findings = try run("""
        ssl = { certificate = "certs/valid.crt"; key = "certs/key.pem" }
        VirtualHost "meet.example.com"
            ssl = { certificate = "certs/expired.crt" }
        VirtualHost "soon.meet.example.com"
            ssl = { certificate = "certs/soon.crt" }
        VirtualHost "chat.example.com"
            ssl = { certificate = "certs/other.crt" }
        VirtualHost "keys.example.com"
            ssl = { certificate = "certs/key.pem" }
        VirtualHost "gone.example.com"
            ssl = { certificate = "/nonexistent/pd/gone.crt" }
        https_ssl = { certificate = "certs/valid.crt" }
        """, now: now)
        let byLine = Dictionary(grouping: findings) { $0.location?.line ?? 0 }.mapValues { $0.map(\.ruleID).sorted() }
        XCTAssertEqual(byLine, [3: ["DPL909"], 5: ["DPL910", "DPL911"], 7: ["DPL910"], 9: ["DPL908"], 11: ["DPL907"]])
        let expired = try XCTUnwrap(findings.first { $0.ruleID == "DPL909" })
        XCTAssertTrue(expired.message.contains("certs/expired.crt"), expired.message)
        XCTAssertTrue(findings.first { $0.ruleID == "DPL908" }?.message.contains("private key") ?? false)
        XCTAssertTrue(findings.first { $0.ruleID == "DPL910" && $0.location?.line == 7 }?.message.contains("other.example.org") ?? false)
    }
}
