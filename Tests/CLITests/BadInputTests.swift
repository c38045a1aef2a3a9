import Foundation
import XCTest

/// Bad input gets a clear finding or error and an exit status, never a crash or a hang.
final class BadInputTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try CLI.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func write(_ name: String, _ data: Data) throws -> String {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
        return url.path
    }

    func check(_ path: String) throws -> CLIResult {
        try CLI.run(["check", "--format", "concise", path])
    }

    func assertNoCrash(_ result: CLIResult, _ message: String) {
        XCTAssertTrue([0, 1, 2, 3].contains(result.status), "\(message): status \(result.status) \(result.stderr.prefix(500))")
        XCTAssertFalse(result.stderr.contains("Fatal error") || result.stderr.contains("Program crashed"), message)
    }

    func testBinaryFile() throws {
        var bytes = [UInt8](repeating: 0, count: 4096)
        for i in bytes.indices { bytes[i] = UInt8((i * 7919) % 256) }
        let result = try check(try write("prosody.cfg.lua", Data(bytes)))
        assertNoCrash(result, "binary")
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stdout.contains("[CFG110]"), result.stdout.prefix(2000).description)
    }

    func testFiftyMegabyteOneLineFile() throws {
        var text = Data("motd = \"".utf8)
        text.append(Data(repeating: UInt8(ascii: "a"), count: 50 << 20))
        text.append(Data("\" VirtualHost \"example.com\"\n".utf8))
        let result = try check(try write("prosody.cfg.lua", text))
        assertNoCrash(result, "50 MB line")
        XCTAssertLessThan(result.stdout.utf8.count, 100_000, "the long value is not echoed in full")
    }

    func testHundredThousandNestedBraces() throws {
        let text = "x = " + String(repeating: "{", count: 100_000) + "\n"
        let result = try check(try write("prosody.cfg.lua", Data(text.utf8)))
        assertNoCrash(result, "nesting")
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stdout.contains("[LUA001]"), result.stdout)
    }

    func testIncludeCycle() throws {
        _ = try write("prosody.cfg.lua", Data("Include \"other.cfg.lua\"\n".utf8))
        _ = try write("other.cfg.lua", Data("Include \"prosody.cfg.lua\"\n".utf8))
        let result = try check(dir.appendingPathComponent("prosody.cfg.lua").path)
        assertNoCrash(result, "include cycle")
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stdout.contains("[CFG102]"), result.stdout)
    }

    func testUnreadableIncludeAndDirectoryInclude() throws {
        _ = try write("conf.d/a.cfg.lua", Data("VirtualHost \"a.example\"\n".utf8))
        let main = try write("prosody.cfg.lua", Data("Include \"conf.d\"\nInclude \"missing.cfg.lua\"\n".utf8))
        let result = try check(main)
        assertNoCrash(result, "unreadable include")
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stdout.contains("[CFG111]"), result.stdout)
        XCTAssertTrue(result.stdout.contains("[CFG101]"), result.stdout)
    }

    func testInvalidUTF8() throws {
        var data = Data("VirtualHost \"ex".utf8)
        data.append(contentsOf: [0xC3, 0x28, 0xFF, 0xFE])
        data.append(Data("ample.com\"\n    motd = \"\u{1}\"\n".utf8))
        let result = try check(try write("prosody.cfg.lua", data))
        assertNoCrash(result, "invalid UTF-8")
    }

    func testTruncatedPasteStillYieldsAModel() throws {
        let result = try CLI.run(["config", "show", "--format", "json", "samples/jitsi-token-seed/prosody.cfg.lua"])
        XCTAssertEqual(result.status, 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let sections = (object?["sections"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
        for name in ["meet.example.com", "guest.meet.example.com", "conference.meet.example.com"] {
            XCTAssertTrue(sections.contains(name), "\(name) missing from \(sections)")
        }
    }
}
