import PCRE2
import XCTest

final class PCRE2Tests: XCTestCase {
    func testCompileErrorHasOffset() {
        XCTAssertThrowsError(try PCRE2Pattern(compiling: "abc(def")) { error in
            guard let e = error as? PCRE2Error else { return XCTFail("\(error)") }
            XCTAssertEqual(e.offset, 7)
            XCTAssertTrue(e.description.contains("offset 7"), e.description)
            XCTAssertTrue(e.message.lowercased().contains("missing"), e.message)
        }
        XCTAssertThrowsError(try PCRE2Pattern(compiling: "a{2,1}"))
    }

    func testNamedGroupsAndRanges() throws {
        let p = try PCRE2Pattern(compiling: #"^Will verify token for user: (?<user>[^,]+), room: (?<room>\S+)"#)
        XCTAssertEqual(p.captureCount, 2)
        XCTAssertEqual(Set(p.groupNames.keys), ["user", "room"])
        let line = "Will verify token for user: 3f2a@meet.example.com/abc, room: test@conference.meet.example.com "
        let m = try XCTUnwrap(p.firstMatch(in: line))
        XCTAssertEqual(m["user"], "3f2a@meet.example.com/abc")
        XCTAssertEqual(m["room"], "test@conference.meet.example.com")
        XCTAssertEqual(m.range(named: "user"), 28..<53)
        XCTAssertEqual(m.namedGroups.count, 2)
        XCTAssertNil(m["nope"])
        XCTAssertNil(p.firstMatch(in: "Session token: nil, session room: nil"))
    }

    func testUnsetOptionalGroup() throws {
        let p = try PCRE2Pattern(compiling: #"a(?<x>b)?c"#)
        let m = try XCTUnwrap(p.firstMatch(in: "xac"))
        XCTAssertNil(m["x"])
        XCTAssertEqual(m.range, 1..<3)
        XCTAssertTrue(m.namedGroups.isEmpty)
    }

    func testBuffersSubstringsAndBytes() throws {
        let p = try PCRE2Pattern(compiling: "err(?<code>\\d+)")
        let bytes = Array("xx err42 yy".utf8)
        XCTAssertEqual(p.firstMatch(in: bytes)?["code"], "42")
        let s = "prefix err7 suffix"
        let sub = s[s.index(s.startIndex, offsetBy: 7)...]
        XCTAssertEqual(p.firstMatch(in: sub)?["code"], "7")
        bytes.withUnsafeBytes { XCTAssertTrue(p.matches($0)) }
        XCTAssertEqual(p.firstMatch(in: bytes, from: 3)?["code"], "42")
        XCTAssertNil(p.firstMatch(in: bytes, from: 4))
        XCTAssertNil(p.firstMatch(in: [UInt8]()))
        XCTAssertEqual(p.allMatches(in: "err1 err2 err3").compactMap { $0["code"] }, ["1", "2", "3"])
    }

    func testInvalidUTF8AndOptions() throws {
        let p = try PCRE2Pattern(compiling: "VALUE", options: [.caseless])
        XCTAssertTrue(p.matches("the value"))
        let junk: [UInt8] = [0xff, 0xfe, 0x76, 0x61, 0x6c, 0x75, 0x65, 0xc3]
        XCTAssertEqual(p.firstMatch(in: junk)?.range, 2..<7)
        let u = try PCRE2Pattern(compiling: "é+", options: [.utf])
        XCTAssertEqual(u.firstMatch(in: "caféé")?.text, "éé")
        XCTAssertNil(u.firstMatch(in: junk))  // invalid UTF-8 in UTF mode: no match, no crash
    }

    func testConcurrentUse() throws {
        let p = try PCRE2Pattern(compiling: #"user: (?<u>\w+)"#)
        DispatchQueue.concurrentPerform(iterations: 200) { i in
            XCTAssertEqual(p.firstMatch(in: "user: u\(i) x")?["u"], "u\(i)")
        }
    }
}
