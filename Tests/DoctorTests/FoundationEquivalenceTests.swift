import Foundation
@testable import Doctor
import ProsodyConfig
import XCTest

/// The check path answers some questions without Foundation (for speed). These pin each
/// answer to what the Foundation call it replaces gives, on ordinary and awkward input.
final class FoundationEquivalenceTests: XCTestCase {
    let texts = ["", " ", "\t", "abc", "  abc  ", "\tabc\t ", "a b", " \u{00A0}x\u{00A0} ", "\u{3000}wide\u{3000}",
                 "é ", " e\u{0301} ", "line\nnext", "\r\n", "x\u{2028}", "/tmp/a/", "/tmp/a/b /tmp/a/c", "aaa"]

    func testTrimmingWhitespacesMatchesFoundation() {
        for text in texts {
            XCTAssertEqual(ASCIIText.trimmingWhitespaces(text), text.trimmingCharacters(in: .whitespaces), text.debugDescription)
        }
    }

    func testReplacingMatchesFoundation() {
        for text in texts {
            for target in ["/tmp/a/", "a", "aa", " ", "é", "e\u{0301}", "x"] {
                XCTAssertEqual(ASCIIText.replacing(target, with: "", in: text), text.replacingOccurrences(of: target, with: ""),
                               "\(text.debugDescription) - \(target.debugDescription)")
                XCTAssertEqual(ASCIIText.replacing(target, with: "<>", in: text), text.replacingOccurrences(of: target, with: "<>"))
            }
        }
    }

    func testContainsMatchesFoundation() {
        for text in texts + ["/usr/share/jitsi-meet/prosody-plugins/", "jitsi", "jitsj", "JITSI", "xjitsix"] {
            for target in ["jitsi", "prosody-plugins", "", " ", "a", "é", "e\u{0301}", "/tmp/a/", "aaa"] {
                XCTAssertEqual(ASCIIText.contains(target, in: text), text.contains(target), "\(text.debugDescription) - \(target.debugDescription)")
            }
        }
    }

    func testFirstLineMatchesFoundation() {
        for text in texts + ["one\ntwo\nthree", "\nlead", "trail\n", "cr\r\nlf"] {
            XCTAssertEqual(ASCIIText.firstLine(text), text.components(separatedBy: "\n").first, text.debugDescription)
        }
    }

    func testProjectFileSearchMatchesTheURLWalk() throws {
        let root = URL(fileURLWithPath: "/tmp/pdfind-" + UUID().uuidString.prefix(8))
        let deep = root.appendingPathComponent("a/b/c")
        try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        // Nothing found at first (unless a parent of /tmp has one), then the file in a/.
        let before = ProjectConfiguration.find(from: deep.path)
        XCTAssertEqual(before, ProjectConfiguration.find(from: deep.path + "/."), "plain path and URL walk agree")
        let file = root.appendingPathComponent("a/" + ProjectConfiguration.fileName)
        try Data("select: []\n".utf8).write(to: file)
        XCTAssertEqual(ProjectConfiguration.find(from: deep.path), file.path)
        XCTAssertEqual(ProjectConfiguration.find(from: deep.path + "/."), file.path)
        XCTAssertEqual(ProjectConfiguration.find(from: root.appendingPathComponent("a").path), file.path)
    }

    func testPosixFilesMatchFileManager() throws {
        let root = URL(fileURLWithPath: "/tmp/pdposix-" + UUID().uuidString.prefix(8))
        try FileManager.default.createDirectory(at: root.appendingPathComponent("dir"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try Data("x = 1\n".utf8).write(to: root.appendingPathComponent("file.lua"))
        try Data().write(to: root.appendingPathComponent("empty.lua"))
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("link").path, withDestinationPath: "file.lua")
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("broken").path, withDestinationPath: "nowhere")
        for name in ["file.lua", "empty.lua", "dir", "link", "broken", "missing", ""] {
            let path = name.isEmpty ? "" : root.appendingPathComponent(name).path
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            let kind = PosixFiles.kind(of: path)
            XCTAssertEqual(kind.exists, exists, name)
            XCTAssertEqual(kind.isDirectory, exists && isDirectory.boolValue, name)
            XCTAssertEqual(PosixFiles.contents(of: path), FileManager.default.contents(atPath: path).map { [UInt8]($0) }, name)
        }
        XCTAssertEqual(PosixFiles.directoryEntries(of: root.path)?.sorted(),
                       try FileManager.default.contentsOfDirectory(atPath: root.path).sorted())
        XCTAssertNil(PosixFiles.directoryEntries(of: root.appendingPathComponent("missing").path))
    }
}

/// The POSIX answers of the check path, pinned to the Foundation calls they replace.
final class PosixFilesEquivalenceTests: XCTestCase {
    func testDirectoryPartMatchesDeletingLastPathComponent() {
        for path in ["/tmp/pdb/c.cfg.lua", "pdb/c.cfg.lua", "c.cfg.lua", "/c.cfg.lua", "/", "", "/tmp/a/", "a//b", "//a",
                     "./x.lua", "../x.lua", "/tmp/./x", "dir/", "é/ü.lua", "/a/b/c/d/e.cfg.lua"] {
            XCTAssertEqual(PosixFiles.directoryPart(of: path), (path as NSString).deletingLastPathComponent, path.debugDescription)
        }
    }

    func testCurrentDirectoryMatchesFileManager() {
        XCTAssertEqual(PosixFiles.currentDirectory(), FileManager.default.currentDirectoryPath)
    }

    func testIsReadable() throws {
        let file = NSTemporaryDirectory() + "pd-readable-\(getpid()).lua"
        try "x = 1\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        XCTAssertTrue(PosixFiles.isReadable(file))
        XCTAssertFalse(PosixFiles.isReadable(file + ".missing"))
        XCTAssertFalse(PosixFiles.isReadable(NSTemporaryDirectory()))
        XCTAssertEqual(PosixFiles.contents(of: file), Array("x = 1\n".utf8))
    }
}
