import XCTest
@testable import JitsiToken

final class RoomAndGrantsTests: XCTestCase {
    typealias F = TokenFactory

    func testWildcardRoomWithDomainVerification() {
        let v = F.verify(F.hs(F.claims()), room: "Lesson1")
        XCTAssertEqual(v.status, .accepted, "\(v.checks.last!)")
        XCTAssertEqual(v.grants?.rooms, .anyRoom)
        XCTAssertTrue(v.checks.last!.detail.contains("lesson1@conference.meet.example.com"))
    }

    func testSubMismatchWithDomainVerification() {
        let t = F.hs(F.claims(["sub": "\"meet.jit.si\""]))
        let v = F.verify(t, room: "lesson1")
        XCTAssertEqual(v.status, .rejected)
        XCTAssertEqual(v.stage, .join)
        XCTAssertEqual(v.rejectionReason, "Room and token mismatched")
        XCTAssertEqual(v.failedCheck?.name, "room")
        // Without domain verification only the room name is compared.
        XCTAssertEqual(F.verify(t, settings: F.settings { $0.enableDomainVerification = false }, room: "lesson1").status, .accepted)
    }

    func testRoomMismatchWithoutDomainVerification() {
        let t = F.hs(F.claims(["room": "\"Lesson1\""]))
        let s = F.settings { $0.enableDomainVerification = false }
        XCTAssertEqual(F.verify(t, settings: s, room: "lesson1").status, .accepted)
        let v = F.verify(t, settings: s, room: "lesson2")
        XCTAssertEqual(v.rejectionReason, "Room does not match the room from token")
        XCTAssertEqual(v.errorCondition, "room-mismatch")
    }

    func testTenantRooms() {
        let t = F.hs(F.claims(["sub": "\"acme\"", "room": "\"standup\""]))
        XCTAssertEqual(F.verify(t, room: "acme/standup").status, .accepted)
        XCTAssertEqual(F.verify(t, room: "[other]standup").rejectionReason, "Room and token mismatched")
        let v = F.verify(t, settings: F.settings { $0.mucDomainBase = nil }, room: "[acme]standup@conference.meet.example.com")
        XCTAssertEqual(v.rejectionReason, "Misconfiguration of server")
        XCTAssertEqual(v.errorCondition, "server-missing-config")
        // sub "*" allows any tenant.
        XCTAssertEqual(F.verify(F.hs(F.claims(["sub": "\"*\""])), room: "[any]x").status, .accepted)
    }

    func testRegexRoomClaim() {
        let t = F.hs(F.claims(["room": "\"^class%-%d+$\"", "context": "{\"room\":{\"regex\":true}}"]))
        XCTAssertEqual(F.verify(t, room: "class-12").status, .accepted)
        let v = F.verify(t, room: "class-x")
        XCTAssertEqual(v.rejectionReason, "Room name cannot be matched to the one from token.")
        XCTAssertEqual(v.errorCondition, "room-name-does-not-match")
        XCTAssertEqual(F.verify(t).grants?.rooms, .pattern("^class%-%d+$"))
        // A partial match yields only the matched part, which then differs from the room.
        let partial = F.hs(F.claims(["room": "\"class\"", "context": "{\"room\":{\"regex\":\"true\"}}"]))
        XCTAssertEqual(F.verify(partial, room: "class-1").rejectionReason, "Room and token mismatched")
        let bad = F.hs(F.claims(["room": "\"class[\"", "context": "{\"room\":{\"regex\":true}}"]))
        XCTAssertEqual(F.verify(bad, room: "class-1").rejectionReason, "Room claim is not a valid Lua pattern")
    }

    func testAffiliationOutcomes() {
        let owner = F.hs(F.claims(["context": "{\"user\":{\"affiliation\":\"teacher\"}}"]))
        XCTAssertEqual(F.verify(owner).grants?.affiliation, "owner")
        let mod = F.hs(F.claims(["context": "{\"user\":{\"moderator\":\"true\"}}"]))
        XCTAssertEqual(F.verify(mod).grants?.affiliation, "owner")
        let member = F.hs(F.claims(["context": "{\"user\":{\"affiliation\":\"student\"}}"]))
        let g = F.verify(member).grants!
        XCTAssertEqual(g.affiliation, "member")
        XCTAssertEqual(g.affiliationDecidedBy, "token_affiliation")

        let allOwners = F.settings { $0.conferenceModules = ["muc_allowners", "token_affiliation"] }
        XCTAssertEqual(F.verify(member, settings: allOwners).grants?.affiliation, "owner")
        XCTAssertEqual(F.verify(member, settings: allOwners).grants?.affiliationDecidedBy, "muc_allowners")

        let moderation = F.settings { $0.conferenceModules = ["token_moderation"] }
        XCTAssertEqual(F.verify(F.hs(F.claims(["moderator": "true"])), settings: moderation).grants?.affiliation, "owner")
        XCTAssertEqual(F.verify(F.hs(F.claims(["moderator": "\"true\""])), settings: moderation).grants?.affiliation, "member")

        let none = F.settings { $0.conferenceModules = ["token_verification"] }
        XCTAssertNil(F.verify(owner, settings: none).grants?.affiliation)
        XCTAssertEqual(F.verify(owner, settings: F.settings { $0.conferenceModules = []; $0.jicofoAuthentication = true }).grants?.affiliation, "owner")
    }

    func testTenantAndFeatures() {
        let t = F.hs(F.claims(["context": "{\"tenant\":\"acme\",\"features\":{\"recording\":true,\"livestreaming\":\"false\"}}"]))
        let g = F.verify(t).grants!
        XCTAssertEqual(g.tenant, "acme")
        XCTAssertEqual(g.features, ["recording"])
    }

    func testRoomTargetParsing() {
        XCTAssertEqual(RoomTarget(parsing: "Room@Conference.Example.com/nick", defaultMUC: nil).jid, "room@conference.example.com")
        XCTAssertEqual(RoomTarget(parsing: "acme/Room", defaultMUC: "conference.x").node, "[acme]room")
        XCTAssertEqual(RoomTarget(parsing: "[acme]room", defaultMUC: nil).tenantAndName.tenant, "acme")
        XCTAssertNil(RoomTarget(parsing: "room", defaultMUC: nil).tenantAndName.tenant)
    }
}

final class LuaPatternAndBase64Tests: XCTestCase {
    func testLuaPatterns() throws {
        XCTAssertEqual(try LuaPattern.match("class-12", "^class%-%d+$"), "class-12")
        XCTAssertEqual(try LuaPattern.match("my-class-12x", "class%-%d+"), "class-12")
        XCTAssertEqual(try LuaPattern.match("abc", "^b"), nil)
        XCTAssertEqual(try LuaPattern.match("room42", "room(%d+)"), "42")
        XCTAssertEqual(try LuaPattern.match("aaa", "a-"), "")
        XCTAssertEqual(try LuaPattern.match("x[y]z", "%b[]"), "[y]")
        XCTAssertEqual(try LuaPattern.match("hello", "[%a]+"), "hello")
        XCTAssertEqual(try LuaPattern.match("hello", "[^l]+$"), "o")
        XCTAssertThrowsError(try LuaPattern.match("a", "[a"))
        XCTAssertThrowsError(try LuaPattern.match("a", "%"))
        XCTAssertThrowsError(try LuaPattern.match("a", "(a"))
    }

    func testBase64URL() throws {
        XCTAssertEqual(try Base64URL.decode("aGk"), Array("hi".utf8))
        XCTAssertEqual(try Base64URL.decode("aGk="), Array("hi".utf8))
        XCTAssertEqual(Base64URL.encode(Array("hi?".utf8)), "aGk_")
        XCTAssertEqual(try Base64URL.decode("aGk_"), Array("hi?".utf8))
        XCTAssertThrowsError(try Base64URL.decode("a!b"))
        XCTAssertThrowsError(try Base64URL.decode("abcde"))
    }

    func testJSON() throws {
        XCTAssertEqual(try TokenJSON.parse(Array("{\"a\":1,\"a\":2}".utf8))["a"], .number(2))
        XCTAssertThrowsError(try TokenJSON.parse(Array("{\"a\":1}x".utf8)))
        XCTAssertThrowsError(try TokenJSON.parse(Array(String(repeating: "[", count: 5000).utf8)))
        XCTAssertEqual(try TokenJSON.parse(Array("\"\\u00e9\"".utf8)), .string("é"))
    }

    func testTimeParsing() {
        XCTAssertEqual(UTCTime.parse("1790000000"), 1_790_000_000)
        XCTAssertEqual(UTCTime.parse("1970-01-02T00:00:00Z"), 86_400)
        XCTAssertEqual(UTCTime.parse("1970-01-01T01:00:00+01:00"), 0)
        XCTAssertEqual(UTCTime.iso8601(1_790_000_000), "2026-09-21T14:13:20Z")
        XCTAssertNil(UTCTime.parse("yesterday"))
    }
}

final class KeyEdgeTests: XCTestCase {
    typealias F = TokenFactory

    func testEmptySecretAcceptsEmptyKeyHMAC() {
        // F1 item 4: app_secret = "" accepts tokens HMAC-signed with an empty key.
        let s = F.settings { $0.appSecret = [] }
        XCTAssertEqual(F.verify(F.hs(F.claims(), secret: ""), settings: s).status, .accepted)
        XCTAssertEqual(F.verify(F.hs(F.claims()), settings: s).rejectionReason, "Invalid signature")
    }

    func testRSAlgorithmWithPEMAsAppSecret() {
        let pem = Array(F.rsaKey.publicKey.pemRepresentation.utf8)
        let s = F.settings { $0.appSecret = pem; $0.signatureAlgorithm = "RS256" }
        XCTAssertEqual(F.verify(F.rs(F.claims()), settings: s).status, .accepted)
        let plain = F.settings { $0.signatureAlgorithm = "RS256" }
        XCTAssertEqual(F.verify(F.rs(F.claims()), settings: plain).rejectionReason, "Invalid signature")
    }
}
