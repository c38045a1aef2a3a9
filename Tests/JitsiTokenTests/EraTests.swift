import XCTest
@testable import JitsiToken

/// Reason strings of older jitsi-meet versions (research §1c).
final class EraTests: XCTestCase {
    typealias F = TokenFactory

    func settings(_ era: JitsiEra, _ edit: (inout TokenSettings) -> Void = { _ in }) -> TokenSettings {
        F.settings { $0.era = era; $0.enableDomainVerification = era.defaultDomainVerification; edit(&$0) }
    }

    func reason(_ token: String?, _ era: JitsiEra, now: Double = F.now, room: String? = nil,
                _ edit: (inout TokenSettings) -> Void = { _ in }) -> String? {
        let v = F.verify(token, settings: settings(era, edit), now: now, room: room)
        XCTAssertEqual(v.status, .rejected)
        return v.rejectionReason
    }

    func testExpMessagesPerEra() {
        let exp = F.now - 5
        let t = F.hs(F.claims(["exp": TokenJSON.formatNumber(exp), "iat": TokenJSON.formatNumber(exp - 60)]))
        XCTAssertEqual(reason(t, .legacy), "Not acceptable by exp")
        XCTAssertEqual(reason(t, .y2022), "Not acceptable by exp")
        XCTAssertEqual(reason(t, .y2024), "Not acceptable by exp (5 sec since expired, valid for:60 sec)")
        XCTAssertEqual(reason(t, .current), "Not acceptable by exp (5 sec since expired, valid for:60 sec)")
    }

    func testRoomAndSubPerEra() {
        let noRoom = F.hs(F.claims(drop: ["room"]))
        let v = F.verify(noRoom, settings: settings(.y2024))
        XCTAssertEqual(v.rejectionReason, "'room' claim is missing")
        XCTAssertEqual(v.logLine, "Error verifying token err:'room' claim is missing, reason:nil")
        XCTAssertEqual(reason(noRoom, .legacy), "'room' claim is missing")
        XCTAssertEqual(reason(noRoom, .current), "room claim is missing")
        // sub is only required at login since 2026-05; before, domain verification crashes on it at join.
        let noSub = F.hs(F.claims(drop: ["sub"]))
        XCTAssertEqual(F.verify(noSub, settings: settings(.y2024)).status, .accepted)
        let join = F.verify(noSub, settings: settings(.y2024), room: "lesson1")
        XCTAssertEqual(join.status, .rejected)
        XCTAssertNil(join.rejectionReason)
        XCTAssertTrue(join.logLine?.contains("Traceback") ?? false)
    }

    func testJoinReasonBefore2025() {
        let t = F.hs(F.claims(["room": "\"other\""]))
        let v = F.verify(t, settings: settings(.y2024), room: "lesson1")
        XCTAssertEqual(v.rejectionReason, "Room and token mismatched")
        XCTAssertEqual(v.logLine, "Token <token> not allowed to join: lesson1@conference.meet.example.com")
    }

    func testLegacyLibraryOrder() {
        XCTAssertEqual(reason("a.b", .legacy), "Invalid token")
        XCTAssertEqual(reason("!!.e30.c2ln", .legacy), "Invalid json")
        XCTAssertEqual(reason(F.hs(F.claims(), header: F.header(typ: nil)), .legacy), "Invalid typ")
        XCTAssertEqual(reason(F.hs(F.claims(), header: "{\"typ\":\"JWT\"}"), .legacy), "Invalid alg")
        XCTAssertEqual(reason(F.hs(F.claims(), header: F.header(alg: "none")), .legacy), "Algorithm not supported")
        XCTAssertEqual(reason(F.hs(F.claims(["exp": "\"1\""])), .legacy), "exp must be number")
        XCTAssertEqual(reason(F.hs(F.claims(), secret: "wrong"), .legacy), "Invalid signature")
        XCTAssertEqual(reason(F.rs(F.claims()), .legacy), "Not a public PEM key")
        XCTAssertEqual(reason(F.hs(F.claims(["nbf": TokenJSON.formatNumber(F.now + 1)])), .legacy), "Not acceptable by nbf")
        XCTAssertEqual(reason(F.hs(F.claims(["alg": "\"none\""])), .legacy), "'alg' claim must not be empty")
        XCTAssertEqual(reason(F.hs(F.claims(drop: ["iss"])), .legacy), "'iss' claim is missing")
        XCTAssertEqual(reason(F.hs(F.claims(["iss": "\"x\""])), .legacy), "Invalid issuer ('iss' claim)")
        // Old order: iss, then room, then aud.
        XCTAssertEqual(reason(F.hs(F.claims(drop: ["room", "aud"])), .legacy), "'room' claim is missing")
        XCTAssertEqual(reason(F.hs(F.claims(drop: ["aud"])), .legacy), "'aud' claim is missing")
        XCTAssertEqual(reason(F.hs(F.claims()), .legacy) { $0.acceptedAudiences = ["x"] }, "Invalid audience ('aud' claim)")
        // Server-side pinning did not exist: an HS512 token passes with an HS256-less config.
        XCTAssertEqual(F.verify(F.hs(F.claims(), alg: "HS512"), settings: settings(.legacy)).status, .accepted)
        // The seed thread (Jan 2021): right secret passes as owner, wrong secret logs Invalid signature.
        let seed = F.hs(F.claims(["context": "{\"user\":{\"affiliation\":\"owner\"}}"]))
        let ok = F.verify(seed, settings: settings(.legacy), room: "lesson1")
        XCTAssertEqual(ok.status, .accepted)
        XCTAssertEqual(ok.grants?.affiliation, "owner")
        let bad = F.verify(F.hs(F.claims(["context": "{\"user\":{\"affiliation\":\"owner\"}}"]), secret: "wrong"), settings: settings(.legacy))
        XCTAssertEqual(bad.logLine, "Error verifying token err:not-allowed, reason:Invalid signature")
    }

    func testLegacyDomainVerificationDefaultOff() {
        // sub is ignored by default before 2022-07.
        let t = F.hs(F.claims(["sub": "\"meet.jit.si\"", "room": "\"lesson1\""]))
        XCTAssertEqual(F.verify(t, settings: settings(.legacy), room: "lesson1").status, .accepted)
        XCTAssertEqual(F.verify(t, settings: settings(.legacy), room: "lesson2").rejectionReason, "Room and token mismatched")
    }
}
