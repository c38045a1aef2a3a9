import XCTest
import ProsodyConfig
@testable import JitsiToken

/// The CLI's logic, through `TokenCheckRunner.run` with an injected environment.
final class RunnerTests: XCTestCase {
    typealias F = TokenFactory

    func environment(files: [String: String] = [:], stdin: String = "",
                     config: ProsodyConfiguration? = F.seedConfiguration()) -> TokenCheckEnvironment {
        TokenCheckEnvironment(
            readFile: { files[$0].map { Array($0.utf8) } },
            readStdin: { Array(stdin.utf8) },
            loadConfiguration: { $0 == "/etc/prosody/prosody.cfg.lua" ? config : nil },
            currentTime: { F.now })
    }

    func request(_ input: String, _ edit: (inout TokenCheckRequest) -> Void = { _ in }) -> TokenCheckRequest {
        var r = TokenCheckRequest(input: input)
        r.configPath = "/etc/prosody/prosody.cfg.lua"
        edit(&r)
        return r
    }

    /// The thread's token: room "*", context.user.affiliation "owner".
    func seedToken(secret: String = F.secret) -> String {
        F.hs(F.claims(["context": "{\"user\":{\"name\":\"Teacher\",\"affiliation\":\"owner\"}}"]), secret: secret)
    }

    func testSeedScenarioPassesAsOwner() throws {
        let out = TokenCheckRunner.run(request(seedToken()) { $0.room = "lesson1" }, environment: environment())
        XCTAssertEqual(out.exitCode, 0, out.stdout + out.stderr)
        XCTAssertTrue(out.stdout.contains("ACCEPTED"), out.stdout)
        XCTAssertTrue(out.stdout.contains("Affiliation: owner (via token_affiliation: context.user.affiliation = \"owner\")"), out.stdout)
        XCTAssertTrue(out.stdout.contains("Host: meet.example.com, conference MUC conference.meet.example.com"), out.stdout)
        XCTAssertFalse(out.stdout.contains(F.secret))

        let json = try parse(TokenCheckRunner.run(request(seedToken()) { $0.format = .json }, environment: environment()))
        XCTAssertEqual(json["verdict"], .string("accepted"))
        XCTAssertEqual(json["grants"]?["affiliation"], .string("owner"))
        XCTAssertEqual(json["grants"]?["affiliation_decided_by"], .string("token_affiliation"))
        XCTAssertEqual(json["grants"]?["rooms"]?["kind"], .string("any"))
    }

    func testSeedScenarioWrongSecretIsInvalidSignature() throws {
        let token = seedToken(secret: "wrong-secret")
        let out = TokenCheckRunner.run(request(token), environment: environment())
        XCTAssertEqual(out.exitCode, 1)
        XCTAssertTrue(out.stdout.contains("REJECTED at login: Invalid signature"), out.stdout)
        XCTAssertTrue(out.stdout.contains("Prosody logs: Error verifying token err:not-allowed, reason:Invalid signature"), out.stdout)
        XCTAssertTrue(out.stdout.contains("Fix: "))
        let signature = String(token.split(separator: ".")[2])
        XCTAssertFalse(out.stdout.contains(signature), "signature leaked")
        XCTAssertFalse(out.stdout.contains(F.secret), "secret leaked")
    }

    func testJSONShape() throws {
        let token = F.hs(F.claims(["context": "{\"room\":{\"password\":\"hunter2\"},\"user\":{\"name\":\"A\"}}"]))
        let out = TokenCheckRunner.run(request(token) { $0.format = .json }, environment: environment())
        XCTAssertEqual(out.exitCode, 0)
        let json = try parse(out)
        for key in ["verdict", "exit_code", "stage", "reason", "error_condition", "log_line", "explanation", "fix",
                    "now", "host", "room", "token", "checks", "grants", "settings", "notes"] {
            XCTAssertNotNil(json[key], "missing \(key)")
        }
        XCTAssertEqual(json["exit_code"], .number(0))
        XCTAssertEqual(json["reason"], .null)
        XCTAssertEqual(json["token"]?["header"]?["alg"], .string("HS256"))
        XCTAssertEqual(json["token"]?["payload"]?["context"]?["room"]?["password"], .string(Masking.mask))
        XCTAssertEqual(json["token"]?["payload"]?["context"]?["user"]?["name"], .string("A"))
        XCTAssertEqual(json["settings"]?["app_secret"], .string("\(Masking.mask) (\(F.secret.utf8.count) bytes)"))
        guard case .array(let checks)? = json["checks"] else { return XCTFail("checks") }
        XCTAssertEqual(checks.first?["name"], .string("library"))
        for c in checks {
            XCTAssertNotNil(c["name"]?.stringValue)
            XCTAssertTrue(["passed", "failed", "skipped"].contains(c["outcome"]?.stringValue ?? ""))
            XCTAssertNotNil(c["detail"]?.stringValue)
        }
        XCTAssertFalse(out.stdout.contains("hunter2"))
        XCTAssertFalse(out.stdout.contains(F.secret))
        XCTAssertFalse(out.stdout.contains(String(token.split(separator: ".")[2])))

        let rejected = try parse(TokenCheckRunner.run(request(F.hs(F.claims(drop: ["aud"]))) { $0.format = .json },
                                                      environment: environment()))
        XCTAssertEqual(rejected["verdict"], .string("rejected"))
        XCTAssertEqual(rejected["reason"], .string("'aud' claim is missing"))
        XCTAssertEqual(rejected["error_condition"], .string("not-allowed"))
        XCTAssertEqual(rejected["exit_code"], .number(1))
    }

    func testMalformedTokensExitOneWithClearError() throws {
        let twoParts = F.segment(F.header()) + "." + F.segment(F.claims())
        let cases: [(String, String)] = [
            (twoParts, "Invalid token"),
            ("e!!.e!!.e!!", "Invalid header"),
            (F.segment(F.header()) + "." + F.segment("42") + ".c2ln", "Invalid signature"),
            (F.hs("[1,2]"), "'iss' claim is missing"),
            (F.hs(F.claims(), header: "[\"JWT\"]"), "Invalid typ"),
            ("not a jwt at all", "Invalid token"),
        ]
        for (token, reason) in cases {
            let out = TokenCheckRunner.run(request(token), environment: environment())
            XCTAssertEqual(out.exitCode, 1, token)
            XCTAssertTrue(out.stdout.contains("REJECTED at login: \(reason)"), "\(token): \(out.stdout)")
        }
        // A payload that is a JSON number: Prosody hits a Lua error, no reason is logged.
        let numberBody = F.hs("42")
        let out = TokenCheckRunner.run(request(numberBody), environment: environment())
        XCTAssertEqual(out.exitCode, 1)
        XCTAssertTrue(out.stdout.contains("no reason string is logged"), out.stdout)
        XCTAssertTrue(out.stdout.contains("not an object"), out.stdout)
    }

    func testOneMegabyteToken() {
        let big = String(repeating: "A", count: 1_048_576)
        let tokens = [big, F.segment(F.header()) + "." + big + ".c2ln",
                      F.hs(F.claims(["pad": "\"" + String(repeating: "x", count: 1_000_000) + "\""]))]
        for (i, t) in tokens.enumerated() {
            let out = TokenCheckRunner.run(request(t), environment: environment())
            XCTAssertLessThanOrEqual(out.exitCode, 1, "case \(i)")
            XCTAssertFalse(out.stdout.isEmpty)
        }
        XCTAssertEqual(TokenCheckRunner.run(request(big), environment: environment()).exitCode, 1)
    }

    func testStdinAndTimeFlag() {
        let exp = F.now + 10
        let t = F.hs(F.claims(["exp": TokenJSON.formatNumber(exp)]))
        let env = environment(stdin: t + "\n")
        XCTAssertEqual(TokenCheckRunner.run(request("-"), environment: env).exitCode, 0)
        let late = TokenCheckRunner.run(request("-") { $0.now = UTCTime.iso8601(exp) }, environment: env)
        XCTAssertEqual(late.exitCode, 1)
        XCTAssertTrue(late.stdout.contains("Not acceptable by exp (0 sec since expired, valid for:70 sec)"), late.stdout)
    }

    func testUsageAndUnreadableExitCodes() {
        let t = F.hs(F.claims())
        XCTAssertEqual(TokenCheckRunner.run(request(t) { $0.now = "soon" }, environment: environment()).exitCode, 2)
        XCTAssertEqual(TokenCheckRunner.run(request("  "), environment: environment()).exitCode, 2)
        XCTAssertEqual(TokenCheckRunner.run(request(t) { $0.configPath = "/nope.cfg.lua" }, environment: environment()).exitCode, 3)
        XCTAssertEqual(TokenCheckRunner.run(request(t) { $0.secretFile = "/nope" }, environment: environment()).exitCode, 3)
        XCTAssertEqual(TokenCheckRunner.run(request(t) { $0.publicKey = "/nope.pem" }, environment: environment()).exitCode, 3)
        XCTAssertEqual(TokenCheckRunner.run(request(t) { $0.secretFile = "a"; $0.publicKey = "b" }, environment: environment()).exitCode, 2)
        // No config and no key at all.
        XCTAssertEqual(TokenCheckRunner.run(request(t) { $0.configPath = nil }, environment: environment()).exitCode, 2)
    }

    func testFlagsWithoutConfig() {
        let env = environment(files: ["/tmp/secret": F.secret + "\n"])
        let ok = TokenCheckRunner.run(request(F.hs(F.claims())) { $0.configPath = nil; $0.secretFile = "/tmp/secret" }, environment: env)
        XCTAssertEqual(ok.exitCode, 0, ok.stdout)
        XCTAssertFalse(ok.stdout.contains(F.secret))
        let bad = TokenCheckRunner.run(request(F.hs(F.claims(), secret: "x")) { $0.configPath = nil; $0.secretFile = "/tmp/secret" }, environment: env)
        XCTAssertEqual(bad.exitCode, 1)
        // RS256 with --public-key stands for the key server.
        let pemEnv = environment(files: ["/tmp/key.pem": F.rsaKey.publicKey.pemRepresentation])
        let rs = TokenCheckRunner.run(request(F.rs(F.claims())) { $0.configPath = nil; $0.publicKey = "/tmp/key.pem" }, environment: pemEnv)
        XCTAssertEqual(rs.exitCode, 0, rs.stdout)
    }

    func testSecretFileOverridesConfig() {
        let env = environment(files: ["/tmp/secret": "other-secret"])
        let t = F.hs(F.claims(), secret: "other-secret")
        XCTAssertEqual(TokenCheckRunner.run(request(t), environment: env).exitCode, 1)
        XCTAssertEqual(TokenCheckRunner.run(request(t) { $0.secretFile = "/tmp/secret" }, environment: env).exitCode, 0)
    }

    func parse(_ out: TokenCheckOutput) throws -> TokenJSON {
        try TokenJSON.parse(Array(out.stdout.utf8))
    }
}

final class RunnerOutputTests: XCTestCase {
    typealias F = TokenFactory

    func testJoinFailureNeverPrintsTheEncodedPayload() {
        let token = F.hs(F.claims(["room": "\"other\"", "context": "{\"room\":{\"password\":\"hunter2\"}}"]))
        var r = TokenCheckRequest(input: token)
        r.appID = "my_app"
        r.secretFile = "s"
        r.host = "meet.example.com"
        r.room = "lesson1"
        let env = TokenCheckEnvironment(readFile: { _ in Array(F.secret.utf8) }, readStdin: { [] },
                                        loadConfiguration: { _ in nil }, currentTime: { F.now })
        for format in TokenOutputFormat.allCases {
            r.format = format
            let out = TokenCheckRunner.run(r, environment: env)
            XCTAssertEqual(out.exitCode, 1)
            XCTAssertTrue(out.stdout.contains("Room and token mismatched"), out.stdout)
            for segment in token.split(separator: ".") { XCTAssertFalse(out.stdout.contains(segment)) }
            XCTAssertFalse(out.stdout.contains("hunter2"))
        }
        // With --host the standard layout is assumed: conference.<host>.
        r.format = .text
        r.input = F.hs(F.claims())
        XCTAssertEqual(TokenCheckRunner.run(r, environment: env).exitCode, 0)
    }

    func testRoomWithoutKnownMUCComparesTheName() {
        let v = F.verify(F.hs(F.claims(["room": "\"lesson1\""])), settings: F.settings { $0.mucDomainBase = nil; $0.conferenceMUC = nil },
                         room: "lesson1")
        XCTAssertEqual(v.status, .accepted)
    }
}
