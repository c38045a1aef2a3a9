@testable import ProsodyConfig
import XCTest

/// `VisualSections.header` reads ASCII lines byte by byte; the reference is the plain
/// definition on characters, which it must agree with.
final class VisualSectionHeaderTests: XCTestCase {
    func reference(_ line: String) -> String? {
        var s = Substring(String(line.utf8.prefix(300)) ?? line)
        s = s.drop { $0 == " " || $0 == "\t" }
        while s.hasPrefix("-") { s = s.dropFirst() }
        s = s.drop { $0 == " " || $0 == "\t" }
        guard let keyword = ["VirtualHost", "Component", "component", "Host", "host"].first(where: { s.hasPrefix($0) }) else { return nil }
        s = s.dropFirst(keyword.count)
        s = s.drop { $0 == " " || $0 == "\t" || $0 == "(" }
        guard let quote = s.first, quote == "\"" || quote == "'" else { return nil }
        s = s.dropFirst()
        guard let end = s.firstIndex(of: quote) else { return nil }
        let name = String(s[..<end])
        return Nameprep.prepare(name) ?? name.lowercased()
    }

    func testHeadersMatchTheCharacterDefinition() {
        var lines = ["VirtualHost \"example.org\"", "  Component \"conference.example.org\" \"muc\"", "-- VirtualHost 'old.example'",
                     "--VirtualHost(\"x.org\")", "Host \"A.Example\"", "host 'b'", "component \"c\"", "VirtualHost \"unterminated",
                     "VirtualHost example", "VirtualHostX \"y\"", "Hostname = \"z\"", "  \t-- \t Component\t(\t'q' ", "Virtual",
                     "VirtualHost \"\"", "C", "", "VirtualHost \"MiXeD.CaSe.Org\"", "   --   -- VirtualHost \"twice\"",
                     String(repeating: " ", count: 290) + "VirtualHost \"far\"", "VirtualHost \"" + String(repeating: "a", count: 400) + "\""]
        var generator = SystemRandomNumberGenerator()
        let pieces = ["VirtualHost", "Component", "component", "Host", "host", " ", "\t", "-", "(", "\"", "'", "a.B", "x", "--"]
        for _ in 0..<4000 {
            lines.append((0..<Int.random(in: 1...6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined())
        }
        for line in lines {
            XCTAssertEqual(VisualSections.header(ArraySlice(line.utf8)), reference(line), line.debugDescription)
        }
    }
}
