import XCTest
import ProsodyConfig
@testable import JitsiToken

final class LogExtractionTests: XCTestCase {
    typealias F = TokenFactory

    func environment(files: [String: String] = [:], stdin: String = "") -> TokenCheckEnvironment {
        TokenCheckEnvironment(readFile: { files[$0].map { Array($0.utf8) } }, readStdin: { Array(stdin.utf8) },
                              loadConfiguration: { _ in F.seedConfiguration() }, currentTime: { F.now })
    }

    func request(_ input: String, format: TokenOutputFormat = .text) -> TokenCheckRequest {
        var r = TokenCheckRequest(input: input)
        r.fromLog = true
        r.configPath = "/etc/prosody/prosody.cfg.lua"
        r.format = format
        return r
    }

    func testExtractsResearchLogLines() {
        let t = F.hs(F.claims())
        let text = """
        Nov 29 10:00:00 conference.meet.example.com:token_verification\tdebug\tSession token: \(t), session room: *
        Nov 29 10:00:00 conference.meet.example.com:token_verification\tdebug\tWill verify token for user: u1@meet.example.com/abc, room: lesson1@conference.meet.example.com/abcdefgh 
        Nov 29 10:00:01 conference.meet.example.com:token_verification\tdebug\tSession token: nil, session room: nil
        Nov 29 10:00:02 conference.meet.example.com:token_verification\terror\tToken \(t) not allowed to join: other@conference.meet.example.com/xyz
        Nov 29 10:00:03 conference.meet.example.com:token_verification\terror\tUser u2@meet.example.com/r not allowed to join: r2@conference.meet.example.com token: \(t.split(separator: ".").prefix(2).joined(separator: ".")) token room: * token sub: meet.example.com err: nil reason: Room and token mismatched
        Nov 29 10:00:04 mod_bosh\tinfo\tNew BOSH session, assigned it sid 'x'
        """
        let found = LogTokenExtractor.extract(from: text)
        XCTAssertEqual(found.map(\.kind), [.sessionToken, .sessionToken, .notAllowed, .userNotAllowed])
        XCTAssertEqual(found[0].token, t)
        XCTAssertEqual(found[0].roomJID, "lesson1@conference.meet.example.com")
        XCTAssertEqual(found[0].user, "u1@meet.example.com/abc")
        XCTAssertEqual(found[0].sourceHost, "conference.meet.example.com")
        XCTAssertEqual(found[0].loggedRoomClaim, "*")
        XCTAssertNil(found[1].token)
        XCTAssertEqual(found[2].roomJID, "other@conference.meet.example.com")
        XCTAssertEqual(found[3].user, "u2@meet.example.com/r")
        XCTAssertEqual(found[3].roomJID, "r2@conference.meet.example.com")
        XCTAssertEqual(found[3].token?.split(separator: ".").count, 2)
    }

    func testFromLogLineChecksTheToken() {
        let good = "conference.meet.example.com:token_verification\tdebug\tSession token: \(F.hs(F.claims())), session room: *"
        let out = TokenCheckRunner.run(request(good), environment: environment())
        XCTAssertEqual(out.exitCode, 0, out.stdout)
        XCTAssertTrue(out.stdout.contains("Host: meet.example.com"), out.stdout)

        let bad = "conference.meet.example.com:token_verification\tdebug\tSession token: \(F.hs(F.claims(), secret: "bad")), session room: *"
        let rejected = TokenCheckRunner.run(request(bad), environment: environment())
        XCTAssertEqual(rejected.exitCode, 1)
        XCTAssertTrue(rejected.stdout.contains("Invalid signature"))
    }

    func testFromLogFileWithNilTokenAndStrippedSignature() throws {
        let stripped = F.hs(F.claims()).split(separator: ".").prefix(2).joined(separator: ".")
        let log = """
        conference.meet.example.com:token_verification\tdebug\tSession token: nil, session room: nil
        conference.meet.example.com:token_verification\tdebug\tSession token: \(stripped), session room: *
        """
        let out = TokenCheckRunner.run(request("/var/log/prosody/prosody.log", format: .json),
                                       environment: environment(files: ["/var/log/prosody/prosody.log": log]))
        let json = try TokenJSON.parse(Array(out.stdout.utf8))
        guard case .array(let tokens)? = json["tokens"] else { return XCTFail(out.stdout) }
        XCTAssertEqual(tokens.count, 2)
        // The seed config has allow_empty_token = true: the tokenless session gets in as a guest.
        XCTAssertEqual(tokens[0]["verdict"], .string("accepted-without-token"))
        XCTAssertEqual(tokens[1]["verdict"], .string("undetermined"))
        XCTAssertEqual(out.exitCode, 1)
    }

    func testFromLogWithoutTokenLineIsUsageError() {
        XCTAssertEqual(TokenCheckRunner.run(request("mod_bosh info New BOSH session"), environment: environment()).exitCode, 2)
        XCTAssertEqual(TokenCheckRunner.run(request("/missing.log"), environment: environment()).exitCode, 3)
    }
}

final class TokenSettingsTests: XCTestCase {
    typealias F = TokenFactory

    func testReadsHostOptionsWithGlobalFallback() throws {
        let config = F.seedConfiguration()
        XCTAssertEqual(try TokenSettings.tokenHost(in: config), "meet.example.com")
        let s = TokenSettings(configuration: config, host: "meet.example.com")
        XCTAssertEqual(s.appID, "my_app")
        XCTAssertEqual(s.appSecret, Array(F.secret.utf8))
        XCTAssertTrue(s.allowEmptyToken)
        XCTAssertTrue(s.enableDomainVerification)
        XCTAssertTrue(s.requireRoomClaim)
        XCTAssertEqual(s.acceptedAudiences, ["*"])
        XCTAssertEqual(s.effectiveIssuers, ["my_app"])
        XCTAssertEqual(s.expectedAlgorithm, "HS256")
        XCTAssertEqual(s.mucDomainBase, "meet.example.com")  // global
        XCTAssertEqual(s.mucDomain, "conference.meet.example.com")
        XCTAssertEqual(s.conferenceMUC, "conference.meet.example.com")
        XCTAssertEqual(s.conferenceModules, ["muc_meeting_id", "token_verification", "token_affiliation"])
        XCTAssertEqual(s.provenance["app_id"], "/etc/prosody/prosody.cfg.lua:3")
    }

    func testOptionsAndKeyServerDefaults() {
        let global = F.section("*", .global, [("asap_accepted_issuers", F.list(["a", "b"])), ("asap_accepted_audiences", .string("meet"))])
        let host = F.section("meet.jitsi", .virtualHost, [
            ("authentication", .string("token")), ("app_id", .string("x")), ("asap_key_server", .string("https://k")),
            ("enable_domain_verification", .boolean(false)), ("asap_require_room_claim", .boolean(false)),
        ])
        let muc = F.section("muc.meet.jitsi", .component(module: "muc"), [("modules_enabled", F.list(["token_verification"]))])
        let config = ProsodyConfiguration(global: global, sections: [host, muc], assignments: [], files: [], problems: [])
        let s = TokenSettings(configuration: config, host: "meet.jitsi")
        XCTAssertEqual(s.acceptedIssuers, ["a", "b"])
        XCTAssertEqual(s.acceptedAudiences, ["meet"])
        XCTAssertEqual(s.expectedAlgorithm, "RS256")
        XCTAssertFalse(s.enableDomainVerification)
        XCTAssertFalse(s.requireRoomClaim)
        XCTAssertEqual(s.conferenceMUC, "muc.meet.jitsi")  // the only MUC component
    }

    func testAmbiguousTokenHosts() {
        let a = F.section("a.example", .virtualHost, [("authentication", .string("token"))])
        let b = F.section("b.example", .virtualHost, [("authentication", .string("token"))])
        let config = ProsodyConfiguration(global: F.section("*", .global, []), sections: [a, b], assignments: [], files: [], problems: [])
        XCTAssertThrowsError(try TokenSettings.tokenHost(in: config)) {
            XCTAssertEqual($0 as? TokenSettingsError, .ambiguousHost(["a.example", "b.example"]))
        }
        var r = TokenCheckRequest(input: TokenFactory.hs(TokenFactory.claims()))
        r.configPath = "c"
        let env = TokenCheckEnvironment(readFile: { _ in nil }, readStdin: { [] }, loadConfiguration: { _ in config },
                                        currentTime: { TokenFactory.now })
        XCTAssertEqual(TokenCheckRunner.run(r, environment: env).exitCode, 2)
        r.host = "a.example"
        XCTAssertEqual(TokenCheckRunner.run(r, environment: env).exitCode, 1)  // no app_id: library disabled
    }
}

final class LogAnalyzerAPITests: XCTestCase {
    func testCheckLogText() {
        typealias F = TokenFactory
        let log = """
        conference.meet.example.com:token_verification\tdebug\tSession token: \(F.hs(F.claims(), secret: "x")), session room: *
        conference.meet.example.com:token_verification\tdebug\tSession token: \(F.hs(F.claims())), session room: *
        conference.meet.example.com:token_verification\tdebug\tWill verify token for user: a@meet.example.com/r, room: lesson1@conference.meet.example.com/r 
        """
        let results = TokenVerifier(settings: F.settings(), now: F.now).check(logText: log)
        XCTAssertEqual(results.map(\.verdict.rejectionReason), ["Invalid signature", nil])
        XCTAssertEqual(results[1].verdict.status, .accepted)
        XCTAssertEqual(results[1].entry.roomJID, "lesson1@conference.meet.example.com")
        XCTAssertTrue(results[1].verdict.checks.contains { $0.name == "room" && $0.outcome == .passed })
    }
}

final class MotivatingCaseLogTests: XCTestCase {
    /// F1: `Session token: nil` + `Skipped room token verification` for a main-domain user.
    func testSessionTokenNilWithEmptyTokensAllowed() {
        let log = """
        conference.meet.example.com:token_verification\tdebug\tSession token: nil, session room: nil
        conference.meet.example.com:token_verification\tdebug\tWill verify token for user: abc@meet.example.com/x, room: lesson1@conference.meet.example.com/x 
        conference.meet.example.com:token_verification\tdebug\tSkipped room token verification - empty tokens are allowed
        conference.meet.example.com:token_verification\tdebug\tSession token: nil, session room: nil
        conference.meet.example.com:token_verification\tdebug\tWill verify token for user: def@guest.meet.example.com/y, room: lesson1@conference.meet.example.com/y 
        """
        var r = TokenCheckRequest(input: log)
        r.fromLog = true
        r.secretFile = "s"
        let env = TokenCheckEnvironment(readFile: { _ in Array(TokenFactory.secret.utf8) }, readStdin: { [] },
                                        loadConfiguration: { _ in nil }, currentTime: { TokenFactory.now })
        let out = TokenCheckRunner.run(r, environment: env)
        XCTAssertEqual(out.exitCode, 0, out.stdout)
        XCTAssertTrue(out.stdout.contains("ACCEPTED WITHOUT TOKEN"), out.stdout)
        XCTAssertTrue(out.stdout.contains("never reached Prosody"), out.stdout)
        XCTAssertTrue(out.stdout.contains("authenticated on guest.meet.example.com"), out.stdout)
    }
}
