import Foundation
@testable import Doctor
import XCTest

/// `invalidHostNameReason` reads ASCII names byte by byte; the reference is the plain
/// definition on labels, which it must agree with on every name.
final class HostNameCheckTests: XCTestCase {
    func reference(_ name: String) -> String? {
        let domain = name.split(separator: "@").last.map(String.init) ?? name
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if labels.contains(where: { $0.lowercased().hasPrefix("xn--") }) { return ProsodyctlParityRules.xnLabelReason }
        if labels.contains(where: \.isEmpty) { return ProsodyctlParityRules.emptyLabelReason }
        if labels.contains(where: { $0.utf8.count > 63 }) { return ProsodyctlParityRules.longLabelReason }
        if domain.contains("<") || domain.contains("{") || domain.contains("$") || domain.contains("%") {
            return ProsodyctlParityRules.placeholderReason
        }
        let forbidden: Set<Character> = [" ", "\t", "/", "\\", "\"", "'", "<", ">"]
        if domain.contains(where: forbidden.contains) { return ProsodyctlParityRules.forbiddenCharacterReason }
        return nil
    }

    func testFastPathAgreesWithTheDefinition() {
        var names = ["example.org", "conference.example.org", "xn--bcher-kva.example", "XN--abc.org", "a.xn-.org", "xn--",
                     ".example.org", "example.org.", "a..b", "", ".", String(repeating: "a", count: 63) + ".org",
                     String(repeating: "a", count: 64) + ".org", "{{ domain }}", "$DOMAIN", "%h.example", "<host>",
                     "a b.org", "a\tb", "a/b", "a\\b", "a\"b", "a'b", "a>b", "user@example.org", "user@", "@",
                     "bücher.example", "xn--bücher.example", "mu\u{0301}c.example", "a@b@c.org", "focus.meet.jitsi",
                     "host123.example.org", "auth.meet.example.com", "UPPER.Example.ORG"]
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ab.-x n{$%<>@/\\'\"\tXN-é")
        for _ in 0..<3000 {
            let length = Int.random(in: 0...12, using: &generator)
            names.append(String((0..<length).map { _ in alphabet.randomElement(using: &generator)! }))
        }
        for name in names {
            XCTAssertEqual(ProsodyctlParityRules.invalidHostNameReason(name), reference(name), name.debugDescription)
        }
    }
}
