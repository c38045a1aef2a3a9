import Foundation
@testable import Doctor
import XCTest

/// `KnownOptions.suggestion` scans unsorted names with a banded edit distance; these pin it
/// to the plain definition: the first name in sorted order at the smallest full distance.
final class SuggestionEquivalenceTests: XCTestCase {
    /// The definition, written the slow and obvious way.
    func reference(_ name: String) -> String? {
        let aliases = KnownOptions.aliases
        if let alias = aliases[name] { return alias }
        let length = name.count
        guard length >= 4 else { return nil }
        let limit = length >= 8 ? 2 : 1
        let names = KnownOptions.all.sorted()
        var best: (name: String, distance: Int)?
        for candidate in names where abs(candidate.count - length) <= limit {
            let d = EditDistance.damerauLevenshtein(name, candidate)
            if d <= limit, d < (best?.distance ?? Int.max) { best = (candidate, d) }
        }
        if let best { return best.name }
        func words(_ s: String) -> Set<String> {
            Set(s.split(separator: "_").map { $0.hasSuffix("s") ? String($0.dropLast()) : String($0) })
        }
        let squashed = name.replacingOccurrences(of: "_", with: "")
        for candidate in names {
            let c = candidate.replacingOccurrences(of: "_", with: "")
            if c == squashed { return candidate }
            if length >= 8, abs(c.count - squashed.count) <= 2, EditDistance.damerauLevenshtein(squashed, c) <= 2,
               words(candidate) == words(name) {
                return candidate
            }
        }
        return nil
    }

    func testSuggestionsMatchTheDefinition() {
        var queries = ["plugins_path", "c2s_require_encription", "compression_level", "aliases", "use_libevent",
                       "zzz_completely_new_option", "ab", "abcd", "K\u{212A}ey_file", "modules_enabeld", "http_port"]
        for (index, name) in KnownOptions.all.sorted().enumerated() where index % 9 == 0 {
            let bytes = Array(name)
            queries.append(String(bytes.dropFirst()))                         // deletion
            queries.append(name + "s")                                        // insertion
            queries.append(name.replacingOccurrences(of: "_", with: ""))      // underscores dropped
            if bytes.count > 3 {
                var swapped = bytes
                swapped.swapAt(1, 2)
                queries.append(String(swapped))                               // transposition
                var changed = bytes
                changed[bytes.count / 2] = "q"
                queries.append(String(changed))                               // substitution
            }
        }
        for query in queries {
            XCTAssertEqual(KnownOptions.suggestion(for: query), reference(query), query)
        }
    }

    /// Optimal-string-alignment distance on UTF-8 bytes, the full table.
    func plainDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a.utf8), y = Array(b.utf8)
        var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in stride(from: 1, through: x.count, by: 1) {
            for j in stride(from: 1, through: y.count, by: 1) {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[x.count][y.count]
    }

    func testFullDistanceIsThePlainTable() {
        let words = ["", "a", "ab", "ba", "abc", "acb", "kitten", "sitting", "c2s_ports", "s2s_ports", "plugin_paths",
                     "plugins_path", "modules_enabled", "modules_disabled", "xxxxxxxx", "é_x", "e\u{0301}_x"]
        for a in words {
            for b in words { XCTAssertEqual(EditDistance.damerauLevenshtein(a, b), plainDistance(a, b), "\(a) \(b)") }
        }
    }

    func testBandedDistanceIsExactWithinTheLimit() {
        let words = ["", "a", "ab", "ba", "abc", "acb", "kitten", "sitting", "c2s_ports", "s2s_ports", "plugin_paths",
                     "plugins_path", "modules_enabled", "modules_disabled", "xxxxxxxx", "é_x", "e\u{0301}_x"]
        for a in words {
            for b in words {
                let full = EditDistance.damerauLevenshtein(a, b)
                for limit in 0...3 {
                    let banded = EditDistance.damerauLevenshtein(a, b, within: limit)
                    if full <= limit {
                        XCTAssertEqual(banded, full, "\(a) \(b) \(limit)")
                    } else {
                        XCTAssertGreaterThan(banded, limit, "\(a) \(b) \(limit)")
                    }
                }
            }
        }
    }
}
