import Foundation
import ProsodyLog

/// The `logs` summary: format, time span, lines by level, top sources, Prosody version and modules,
/// message templates clustered with their variable parts masked (as lnav does).
public enum LogSummaryRenderer {
    static let levelNames = ["debug", "info", "warn", "error", "unknown"]

    public static func text(_ a: LogAnalysis, top: Int = 15) -> String {
        var out = "Log summary\n"
        for f in a.files {
            let formats = f.formatCounts.sorted { $0.value > $1.value }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
            out += "  file       \(f.name): \(f.lines) lines, \(f.events) events (\(formats.isEmpty ? "empty" : formats))"
            if f.unparsedEvents > 0 { out += ", \(f.unparsedEvents) not Prosody records (kept as unparsed)" }
            out += "\n"
            for issue in f.issues { out += "             \(issue)\n" }
        }
        if let first = a.firstTime, let last = a.lastTime { out += "  time span  \(first) … \(last)\n" }
        if a.filteredOut > 0 { out += "  filtered   \(a.filteredOut) events outside --since/--until\n" }
        let levels = a.levelCounts
        out += "  levels     " + (0..<5).filter { levels[$0] > 0 || $0 < 4 }.map { "\(levelNames[$0]) \(levels[$0])" }.joined(separator: ", ") + "\n"
        out += "  prosody    " + (a.prosodyVersions.isEmpty ? "(no start-up banner in the log)" : a.prosodyVersions.joined(separator: ", ")) + "\n"
        if !a.modules.isEmpty {
            let mods = a.modules.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            out += "  modules    \(mods.count): " + mods.prefix(30).map(\.key).joined(separator: ", ") + (mods.count > 30 ? ", …" : "") + "\n"
        }
        let facts = a.groups.keys.map { ($0, a.count($0)) }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        if !facts.isEmpty {
            out += "  facts      " + facts.prefix(12).map { "\($0.0) \($0.1)" }.joined(separator: ", ") + (facts.count > 12 ? ", …" : "") + "\n"
        }
        if !a.sources.isEmpty {
            out += "  top sources\n"
            for (s, n) in a.sources.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }).prefix(10) {
                out += "    \(pad(String(n), 8)) \(s)\n"
            }
        }
        if !a.templates.isEmpty {
            out += "  message templates (\(a.templates.count) distinct, top \(min(top, a.templates.count)))\n"
            for t in a.templates.prefix(top) {
                out += "    \(pad(String(t.count), 8)) \(pad(t.level?.name ?? "-", 5)) \(t.template.prefix(160))\n"
            }
        }
        return out
    }

    private static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }

    public static func json(_ a: LogAnalysis, templateLimit: Int = 100) -> String {
        var o = "{\"files\":["
        o += a.files.map { f in
            "{\"name\":\(q(f.name)),\"bytes\":\(f.bytes),\"lines\":\(f.lines),\"events\":\(f.events),\"unparsed\":\(f.unparsedEvents),"
                + "\"format\":\(q(f.dominantFormat?.rawValue ?? "")),\"formats\":{"
                + f.formatCounts.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\(q($0.key.rawValue)):\($0.value)" }.joined(separator: ",")
                + "},\"issues\":[" + f.issues.map(q).joined(separator: ",") + "]}"
        }.joined(separator: ",")
        o += "],"
        if let t = a.firstTime { o += "\"first\":\(q(t.description)),"}
        if let t = a.lastTime { o += "\"last\":\(q(t.description)),"}
        let levels = a.levelCounts
        o += "\"levels\":{" + (0..<5).map { "\(q(levelNames[$0])):\(levels[$0])" }.joined(separator: ",") + "},"
        o += "\"filteredOut\":\(a.filteredOut),"
        o += "\"prosodyVersions\":[" + a.prosodyVersions.map(q).joined(separator: ",") + "],"
        o += "\"modules\":{" + a.modules.sorted { $0.key < $1.key }.map { "\(q($0.key)):\($0.value)" }.joined(separator: ",") + "},"
        o += "\"sources\":{" + a.sources.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(50)
            .map { "\(q($0.key)):\($0.value)" }.joined(separator: ",") + "},"
        o += "\"templates\":[" + a.templates.prefix(templateLimit).map {
            "{\"template\":\(q($0.template)),\"count\":\($0.count),\"level\":\(q($0.level?.name ?? "")),\"example\":{\"file\":\(q($0.example.file)),\"line\":\($0.example.line)}}"
        }.joined(separator: ",") + "],"
        var facts: [String] = []
        for fact in a.groups.keys.sorted() {
            var keys: [String] = []
            for g in a.groups(fact).prefix(20) {
                var k = "{\"key\":\(q(g.key)),\"count\":\(g.count)"
                if let t = g.firstTime { k += ",\"first\":\(q(t.description))" }
                if let t = g.lastTime { k += ",\"last\":\(q(t.description))" }
                let lines: [String] = g.examples.map { String($0.line) }
                k += ",\"lines\":[" + lines.joined(separator: ",") + "]}"
                keys.append(k)
            }
            facts.append(q(fact) + ":{\"count\":\(a.count(fact)),\"keys\":[" + keys.joined(separator: ",") + "]}")
        }
        o += "\"facts\":{" + facts.joined(separator: ",") + "}"
        return o + "}"
    }

    static func q(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
