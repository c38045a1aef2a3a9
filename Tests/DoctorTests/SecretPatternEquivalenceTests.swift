import Foundation
@testable import Doctor
import PCRE2
import XCTest

/// SecretMasking's patterns run on PCRE2, written to match what the ICU patterns
/// (NSRegularExpression) they replace matched. Each pair must give the same matches and
/// groups, including on Unicode whitespace, line terminators and marks.
final class SecretPatternEquivalenceTests: XCTestCase {
    /// The patterns as they were written for NSRegularExpression.
    let icu: [(String, NSRegularExpression, PCRE2PatternRef)] = [
        ("assignment", try! NSRegularExpression(pattern: #"([A-Za-z_][A-Za-z0-9_]*)(\s*=\s*)("(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|\[=*\[.*?(?:\]=*\]|$))"#),
         PCRE2PatternRef(SecretMasking.assignmentPattern)),
        ("jwt", try! NSRegularExpression(pattern: #"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"#),
         PCRE2PatternRef(SecretMasking.jwtPattern)),
        ("sasl", try! NSRegularExpression(pattern: #"(<(?:auth|response|success)\b[^>]*>)([A-Za-z0-9+/=]{4,})(</(?:auth|response|success)>)"#),
         PCRE2PatternRef(SecretMasking.saslPattern)),
        ("unquoted", try! NSRegularExpression(pattern: #"(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\1(\s*:\s*|(?<=[A-Za-z0-9_-])\s*=\s*)("(?:[^"\\]|\\.)*"|'[^']*'|[^\s,;}]+)"#),
         PCRE2PatternRef(SecretMasking.unquotedPattern)),
    ]

    let lines = [
        #"app_secret = "Sup3rS3cret""#, "password='a\\'b' other = 'c'", "turncredentials_secret = [[x y]]",
        "secret = [==[abc]==] tail", "secret = [[unterminated", "secret = [[cr at end\r", "secret = [[nel\u{85}",
        "secret\u{0B}=\u{0B}\"vt\"", "secret\u{85}= \"nel\"", "secret\u{A0}=\u{3000}\"nbsp\"", "secret\u{1C}= \"fs\"",
        "key\u{200B}= \"zwsp\"", "password: hunter2", "\"password\": \"x\", 'token':'y'", "JICOFO_AUTH_PASSWORD=s3cret",
        "auth.password=abc;next", "a.b.c.PASSWORD = x\u{2028}y", "value\u{85}tail",
        "token eyJhbGciOi.eyJzdWIiOiJ4.c2lnbmF0dXJl more", "eyJabc.eyJdef.",
        "<auth mechanism='PLAIN'>AGFsaWNlAHNlY3JldA==</auth>", "<auth\u{0301}>QUJDRA==</auth>", "<auth\u{200D}>QUJDRA==</auth>",
        "<authx>QUJDRA==</auth>", "<response>cmVzcG9uc2U=</response><success>c3VjY2Vzcw==</success>", "<auth>ab</auth>",
        "é = \"x\" password = \"ü\"", "mot_de_passe = 'secret' -- commentaire é",
    ]

    func groups(_ regex: NSRegularExpression, _ line: String) -> [[String]] {
        var found: [[String]] = []
        _ = SecretMasking.replace(regex, in: line) { found.append($0); return "" }
        return found
    }

    func groups(_ regex: PCRE2PatternRef, _ line: String) -> [[String]] {
        var found: [[String]] = []
        _ = SecretMasking.replace(regex.pattern, in: line) { found.append($0); return "" }
        return found
    }

    func testPatternsMatchLikeICU() {
        for (name, old, new) in icu {
            for line in lines {
                XCTAssertEqual(groups(new, line), groups(old, line), "\(name): \(line.debugDescription)")
            }
        }
    }
}

/// Holds a pattern for the table above.
struct PCRE2PatternRef: @unchecked Sendable {
    let pattern: PCRE2Pattern
    init(_ pattern: PCRE2Pattern) { self.pattern = pattern }
}
