import XCTest
import Foundation
@testable import LuaSyntax

final class RobustnessTests: XCTestCase {
    func testHundredThousandNestedBracesAndParens() {
        for open in ["{", "(", "t[", "- ", "not ", "function() return ", "f(", "a .. "] {
            let src = "x = " + String(repeating: open, count: 100_000)
            let start = Date()
            let r = LuaParser.parse(src)
            XCTAssertEqual(r.errors.first?.message, "C stack overflow", open)
            XCTAssertLessThan(Date().timeIntervalSince(start), 5, open)
        }
        let stmts = String(repeating: "do ", count: 100_000)
        XCTAssertEqual(LuaParser.parse(stmts).errors.first?.message, "C stack overflow")
        let assigns = "a" + String(repeating: ", a", count: 100_000) + " = 1"
        XCTAssertEqual(LuaParser.parse(assigns).errors.first?.message, "C stack overflow")
    }

    /// The deepest nesting luac accepts must also parse on a small (512 KiB) thread
    /// stack, as used by Swift concurrency's cooperative pool.
    func testDeepestAcceptedNestingFitsSmallStack() {
        let sources = [
            "x = " + String(repeating: "{", count: 197) + String(repeating: "}", count: 197),
            "x = " + String(repeating: "(", count: 196) + "1" + String(repeating: ")", count: 196),
            String(repeating: "f(function() ", count: 99) + String(repeating: " end)", count: 99),
            String(repeating: "if x then ", count: 197) + String(repeating: " end", count: 197),
            "x = " + Array(repeating: "a", count: 197).joined(separator: ".."),
        ]
        for src in sources {
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var errors: [SyntaxError] = [SyntaxError(message: "not run", range: SourceRange(start: pos(0, 1, 1), end: pos(0, 1, 1)))]
            let thread = Thread {
                errors = LuaParser.parse(src).errors
                done.signal()
            }
            thread.stackSize = 512 * 1024
            thread.start()
            done.wait()
            XCTAssertTrue(errors.isEmpty, "\(src.prefix(20)): \(errors.first?.message ?? "")")
        }
    }

    func testBinaryInputNeverCrashes() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let bytes = (0..<2000).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let r = LuaParser.parse(bytes)
            XCTAssertFalse(r.errors.isEmpty)
            XCTAssertLessThanOrEqual(r.errors.count, 100)
        }
        // Printable-ish noise built from Lua punctuation exercises the recovery paths.
        let alphabet = Array("{}()[]=,.;:'\"\\-\n xV0123456789abcdefzu".utf8)
        for _ in 0..<200 {
            let bytes = (0..<400).map { _ in alphabet.randomElement(using: &rng)! }
            _ = LuaParser.parse(bytes)
            _ = LuaParser.parse(bytes, options: .luac)
        }
    }

    func testNulBytesAndInvalidUTF8() {
        // Invalid UTF-8 inside strings and comments is fine: Lua strings are bytes.
        let src: [UInt8] = Array("x = \"".utf8) + [0xFF, 0xC3, 0x00] + Array("\" -- ".utf8) + [0xFE, 0x80] + Array("\ny = 1".utf8)
        let r = LuaParser.parse(src)
        XCTAssertTrue(r.errors.isEmpty)
        guard case .assignment(_, let v) = r.chunk.block.statements[0].kind, case .string(let s) = v[0].kind else {
            return XCTFail()
        }
        XCTAssertEqual(s.bytes, [0xFF, 0xC3, 0x00])
        XCTAssertEqual(r.chunk.block.statements.count, 2)
        // A NUL byte outside a string is an unexpected symbol without a `near` part (as luac).
        XCTAssertEqual(LuaParser.parse([0x78, 0x3D, 0x00]).errors.first?.message, "unexpected symbol")
        // A lone high byte is shown as a decimal escape.
        XCTAssertEqual(LuaParser.parse([0xC3, 0x28]).errors.first?.message, "unexpected symbol near '<\\195>'")
    }

    func testBOMAndShebangInChunkMode() {
        // Prosody's load(text) skips neither.
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("x = 1".utf8)
        var r = LuaParser.parse(bom)
        XCTAssertEqual(r.errors.first?.message, "unexpected symbol near '<\\239>'")
        XCTAssertEqual(r.errors.first?.line, 1)
        r = LuaParser.parse("#!/usr/bin/env lua\nx = 1")
        XCTAssertEqual(r.errors.first?.message, "unexpected symbol near '#'")
    }

    func testBOMAndShebangInFileMode() {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("x = 1".utf8)
        var r = LuaParser.parse(bom, options: .luac)
        XCTAssertTrue(r.errors.isEmpty)
        XCTAssertEqual(r.chunk.block.statements.first?.range.start, pos(3, 1, 4))
        r = LuaParser.parse("#!/usr/bin/env lua\nx = = 1", options: .luac)
        XCTAssertEqual(r.errors.first?.line, 2)
        XCTAssertEqual(r.errors.first?.message, "unexpected symbol near '='")
        let both: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("# comment\r\ny = 2".utf8)
        r = LuaParser.parse(both, options: .luac)
        XCTAssertTrue(r.errors.isEmpty)
        XCTAssertEqual(r.chunk.block.statements.first?.range.start.line, 2)
        // A BOM in the middle is never skipped.
        r = LuaParser.parse(Array("x = 1\n".utf8) + [0xEF, 0xBB, 0xBF], options: .luac)
        XCTAssertEqual(r.errors.first?.message, "unexpected symbol near '<\\239>'")
    }

    func testBinaryChunkSignature() {
        let r = LuaParser.parse([0x1B, 0x4C, 0x75, 0x61], options: .luac)
        XCTAssertEqual(r.errors.first?.message, "bad binary format (truncated chunk)")
    }

    func testLargeInputs() {
        // A long config (about 2 MB) and a single very long line.
        let block = """
        VirtualHost "example.com"
            modules_enabled = { "roster"; "saslauth"; "tls"; "dialback"; "disco" }
            ssl = { key = "/etc/prosody/certs/example.com.key"; certificate = "/etc/prosody/certs/example.com.crt" }
            c2s_require_encryption = true -- comment

        """
        let big = String(repeating: block, count: 8000)
        var r = LuaParser.parse(big)
        XCTAssertTrue(r.errors.isEmpty)
        XCTAssertEqual(r.chunk.block.statements.count, 32000)
        let line = "x = {" + String(repeating: "\"abc\", 1.5, k = 0x10, ", count: 50_000) + "}"
        r = LuaParser.parse(line)
        XCTAssertTrue(r.errors.isEmpty)
        let unterminated = "x = \"" + String(repeating: "a", count: 1_000_000)
        XCTAssertEqual(LuaParser.parse(unterminated).errors.first?.message, "unfinished string near <eof>")
        let longComment = "--[[" + String(repeating: "a", count: 1_000_000)
        XCTAssertEqual(LuaParser.parse(longComment).errors.first?.message,
                       "unfinished long comment (starting at line 1) near <eof>")
    }
}
