import XCTest
@testable import JitsiToken

/// One test vector per rule of research §5, each giving Prosody's exact reason string.
final class RuleOrderTests: XCTestCase {
    typealias F = TokenFactory

    func assertRejected(_ v: TokenVerdict, _ reason: String?, check: String? = nil, condition: String? = "not-allowed",
                        file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(v.status, .rejected, "status", file: file, line: line)
        XCTAssertEqual(v.rejectionReason, reason, file: file, line: line)
        XCTAssertEqual(v.exitCode, 1, file: file, line: line)
        if let check { XCTAssertEqual(v.failedCheck?.name, check, file: file, line: line) }
        if reason != nil { XCTAssertEqual(v.errorCondition, condition, file: file, line: line) }
        // Everything after the first failure is "not reached".
        if let i = v.checks.firstIndex(where: { $0.outcome == .failed }) {
            XCTAssertTrue(v.checks[(i + 1)...].allSatisfy { $0.outcome == .skipped }, file: file, line: line)
        }
    }

    func testValidHS256Passes() {
        let v = F.verify(F.hs(F.claims()))
        XCTAssertEqual(v.status, .accepted, "\(v.checks.filter { $0.outcome == .failed })")
        XCTAssertNil(v.rejectionReason)
        XCTAssertEqual(v.exitCode, 0)
        XCTAssertTrue(v.checks.contains { $0.name == "signature" && $0.outcome == .passed })
    }

    func testValidHS384AndHS512WithSignatureAlgorithm() {
        for alg in ["HS384", "HS512"] {
            let v = F.verify(F.hs(F.claims(), alg: alg), settings: F.settings { $0.signatureAlgorithm = alg })
            XCTAssertEqual(v.status, .accepted, alg)
        }
    }

    func testValidRS256Passes() {
        let v = F.verify(F.rs(F.claims()), settings: F.keyServerSettings())
        XCTAssertEqual(v.status, .accepted, "\(v.checks.filter { $0.outcome == .failed })")
        let key = v.checks.first { $0.name == "key" }!
        XCTAssertTrue(key.detail.contains("https://keys.example.com/asap/"), key.detail)
        XCTAssertTrue(key.detail.hasSuffix(".pem)"), key.detail)
    }

    func testRS256WithOtherKeyIsInvalidSignature() {
        let v = F.verify(F.rs(F.claims(), key: F.otherRSAKey), settings: F.keyServerSettings())
        assertRejected(v, "Invalid signature", check: "signature")
    }

    func testWrongSecretIsInvalidSignature() {
        let v = F.verify(F.hs(F.claims(), secret: "not-the-secret"))
        assertRejected(v, "Invalid signature", check: "signature")
        XCTAssertEqual(v.logLine, "Error verifying token err:not-allowed, reason:Invalid signature")
        XCTAssertNotNil(v.explanation)
        XCTAssertNotNil(v.fix)
    }

    func testSecretIsUsedAsRawBytesNotBase64Decoded() {
        let b64Secret = "c2VjcmV0LXNlY3JldA=="
        let s = F.settings { $0.appSecret = Array(b64Secret.utf8) }
        XCTAssertEqual(F.verify(F.hs(F.claims(), secret: b64Secret), settings: s).status, .accepted)
        // Signed with the base64-decoded bytes ("secret-secret"): Prosody does not decode.
        assertRejected(F.verify(F.hs(F.claims(), secret: "secret-secret"), settings: s), "Invalid signature")
    }

    func testNoToken() {
        assertRejected(F.verify(nil), "token required", check: "token-present")
        let v = F.verify(nil, settings: F.settings { $0.allowEmptyToken = true })
        XCTAssertEqual(v.status, .acceptedWithoutToken)
        XCTAssertEqual(v.exitCode, 0)
    }

    func testLibraryDisabledWithoutAppID() {
        let v = F.verify(F.hs(F.claims()), settings: F.settings { $0.appID = nil })
        assertRejected(v, nil, check: "library")
        XCTAssertTrue(v.logLine?.hasPrefix("No available SASL mechanisms") ?? false)
    }

    // MARK: key server (asap_key_server / cache_keys_url)

    func testKeyServerNoDotIsInvalidToken() {
        assertRejected(F.verify("nodotatall", settings: F.keyServerSettings()), "Invalid token", check: "key-header")
    }

    func testKeyServerBadHeaderIsBadTokenFormat() {
        assertRejected(F.verify("%%%.abc.def", settings: F.keyServerSettings()), "bad token format", check: "key-header")
    }

    func testKeyServerMissingKid() {
        let t = F.rs(F.claims(), header: F.header(alg: "RS256"))
        assertRejected(F.verify(t, settings: F.keyServerSettings()), "'kid' claim is missing", check: "kid")
    }

    func testKeyServerMissingAlg() {
        let t = F.segment("{\"typ\":\"JWT\",\"kid\":\"k\"}") + "." + F.segment(F.claims()) + ".c2ln"
        assertRejected(F.verify(t, settings: F.keyServerSettings()), "'alg' claim is missing", check: "key-alg")
    }

    func testKeyServerRejectsHSToken() {
        let t = F.hs(F.claims(), header: F.header(alg: "HS256", kid: "k"))
        assertRejected(F.verify(t, settings: F.keyServerSettings()), "'kid' claim only support with RS family", check: "key-alg")
    }

    func testKeyServerWithoutPublicKeyIsUndetermined() {
        let v = F.verify(F.rs(F.claims()), settings: F.keyServerSettings(withKey: false))
        XCTAssertEqual(v.status, .undetermined)
        XCTAssertEqual(v.exitCode, 1)
        XCTAssertNotNil(v.fix)
    }

    // MARK: luajwtjitsi

    func testUnsupportedConfiguredAlgorithm() {
        let v = F.verify(F.hs(F.claims()), settings: F.settings { $0.signatureAlgorithm = "ES256" })
        assertRejected(v, "Algorithm not supported", check: "algorithm-supported")
    }

    func testTwoPartsIsInvalidToken() {
        let t = F.segment(F.header()) + "." + F.segment(F.claims())
        assertRejected(F.verify(t), "Invalid token", check: "structure")
        // An empty signature segment does not count (Lua's split skips empty segments).
        assertRejected(F.verify(t + "."), "Invalid token", check: "structure")
        assertRejected(F.verify("a.b.c.d"), "Invalid token", check: "structure")
    }

    func testBadBase64HeaderIsInvalidHeader() {
        let t = "eyJ!!!." + F.segment(F.claims()) + ".c2ln"
        assertRejected(F.verify(t), "Invalid header", check: "header-json")
    }

    func testBadJSONBodyIsInvalidBody() {
        let t = F.segment(F.header()) + "." + F.segment("{\"iss\": ") + ".c2ln"
        assertRejected(F.verify(t), "Invalid body", check: "body-json")
    }

    func testBadBase64SignatureIsInvalidSignature() {
        let t = F.segment(F.header()) + "." + F.segment(F.claims()) + ".***"
        assertRejected(F.verify(t), "Invalid signature", check: "signature-encoding")
    }

    func testMissingOrWrongTyp() {
        assertRejected(F.verify(F.hs(F.claims(), header: F.header(typ: nil))), "Invalid typ", check: "typ")
        assertRejected(F.verify(F.hs(F.claims(), header: F.header(typ: "jwt"))), "Invalid typ", check: "typ")
    }

    func testAlgorithmMustMatchServerChoice() {
        // HS512 token, server default HS256.
        assertRejected(F.verify(F.hs(F.claims(), alg: "HS512")), "Invalid or incorrect alg", check: "alg")
        // RS256 token on an app_secret deployment.
        assertRejected(F.verify(F.rs(F.claims())), "Invalid or incorrect alg", check: "alg")
    }

    func testExpAndNbfTypes() {
        assertRejected(F.verify(F.hs(F.claims(["exp": "\"1790003600\""]))), "exp must be number", check: "exp-type")
        assertRejected(F.verify(F.hs(F.claims(["nbf": "\"1\""]))), "nbf must be number", check: "nbf-type")
        // false is not "present" for Lua (`body.exp and ...`).
        XCTAssertEqual(F.verify(F.hs(F.claims(["exp": "false"]))).status, .accepted)
    }

    func testExpEdges() {
        let exp = F.now + 100
        let t = F.hs(F.claims(["exp": TokenJSON.formatNumber(exp), "iat": TokenJSON.formatNumber(exp - 3600)]))
        XCTAssertEqual(F.verify(t, now: exp - 1).status, .accepted)
        assertRejected(F.verify(t, now: exp), "Not acceptable by exp (0 sec since expired, valid for:3600 sec)", check: "exp")
        assertRejected(F.verify(t, now: exp + 42.9), "Not acceptable by exp (42 sec since expired, valid for:3600 sec)")
        let noIat = F.hs(F.claims(["exp": TokenJSON.formatNumber(exp)], drop: ["iat"]))
        assertRejected(F.verify(noIat, now: exp + 5), "Not acceptable by exp (5 sec since expired)")
        // No exp at all: never expires.
        XCTAssertEqual(F.verify(F.hs(F.claims(drop: ["exp"])), now: 4_000_000_000).status, .accepted)
    }

    func testNbfEdges() {
        let nbf = F.now + 100
        let t = F.hs(F.claims(["nbf": TokenJSON.formatNumber(nbf)]))
        XCTAssertEqual(F.verify(t, now: nbf).status, .accepted)
        assertRejected(F.verify(t, now: nbf - 1), "Not acceptable by nbf", check: "nbf")
    }

    func testIssuer() {
        assertRejected(F.verify(F.hs(F.claims(drop: ["iss"]))), "'iss' claim is missing", check: "iss-present")
        assertRejected(F.verify(F.hs(F.claims(["iss": "\"My_App\""]))), "invalid 'iss' claim", check: "iss")
        let other = F.hs(F.claims(["iss": "\"issuer2\""]))
        XCTAssertEqual(F.verify(other, settings: F.settings { $0.acceptedIssuers = ["issuer2"] }).status, .accepted)
        XCTAssertEqual(F.verify(other, settings: F.settings { $0.acceptedIssuers = ["*"] }).status, .accepted)
    }

    func testAudience() {
        assertRejected(F.verify(F.hs(F.claims(drop: ["aud"]))), "'aud' claim is missing", check: "aud-present")
        let s = F.settings { $0.acceptedAudiences = ["meet"] }
        assertRejected(F.verify(F.hs(F.claims()), settings: s), "invalid 'aud' claim", check: "aud")
        XCTAssertEqual(F.verify(F.hs(F.claims(["aud": "\"meet\""])), settings: s).status, .accepted)
        // An array aud only passes with "*".
        let arr = F.hs(F.claims(["aud": "[\"meet\"]"]))
        XCTAssertEqual(F.verify(arr).status, .accepted)
        assertRejected(F.verify(arr, settings: s), "invalid 'aud' claim")
    }

    func testRoomClaim() {
        let t = F.hs(F.claims(drop: ["room"]))
        assertRejected(F.verify(t), "room claim is missing", check: "room-claim", condition: "not-authorized")
        let v = F.verify(t, settings: F.settings { $0.requireRoomClaim = false })
        XCTAssertEqual(v.status, .accepted)
        XCTAssertEqual(v.grants?.rooms, .anyRoom)
    }

    func testSubClaim() {
        assertRejected(F.verify(F.hs(F.claims(drop: ["sub"]))), "sub claim is missing", check: "sub-claim", condition: "not-authorized")
    }

    func testOrderSignatureBeforeClaims() {
        // Expired, no iss, wrong secret: the signature is checked first.
        let t = F.hs(F.claims(["exp": "1"], drop: ["iss"]), secret: "wrong")
        assertRejected(F.verify(t), "Invalid signature")
        // typ before alg.
        assertRejected(F.verify(F.hs(F.claims(), header: F.header(alg: "HS512", typ: nil))), "Invalid typ")
        // exp before iss.
        assertRejected(F.verify(F.hs(F.claims(["exp": "1"], drop: ["iss"]))), "Not acceptable by exp (1789999999 sec since expired, valid for:-1789999939 sec)")
    }
}
