import Doctor
import ProsodyConfig

/// `config show` text form: every section and effective option in Lua syntax, with
/// the file:line where it was set (secrets are masked by the caller).
public enum ConfigurationText {
    public static func render(_ configuration: ProsodyConfiguration, relativeTo directory: String? = nil) -> String {
        func place(_ location: SourceLocation) -> String {
            var file = location.file
            if let directory, file.hasPrefix(directory + "/") { file = String(file.dropFirst(directory.count + 1)) }
            return "\(file):\(location.line)"
        }
        var rows: [(String, String)] = []
        func section(_ header: String, _ s: ConfigSection) {
            rows.append((header, s.declarations.first.map(place) ?? ""))
            for option in s.options {
                rows.append(("    \(option.name) = \(lua(option.value, limit: 70))", place(option.location)))
            }
        }
        section("-- global section", configuration.global)
        for s in configuration.sections {
            switch s.kind {
            case .virtualHost: section("VirtualHost \(quote(s.name))", s)
            case .component(let module):
                section(module == "component" ? "Component \(quote(s.name))" : "Component \(quote(s.name)) \(quote(module))", s)
            case .global: break
            }
        }
        let width = min(90, rows.map(\.0.count).max() ?? 0)
        var out = rows.map { text, where_ in
            where_.isEmpty ? text : text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0) + "  -- " + where_
        }.joined(separator: "\n") + "\n"
        out += "\n-- files loaded (in Prosody's order):\n" + configuration.files.map { "--   " + $0 }.joined(separator: "\n") + "\n"
        if !configuration.problems.isEmpty {
            out += "-- \(configuration.problems.count) problem(s) met while loading; `prosody-doctor check` explains them\n"
        }
        return out
    }

    static func quote(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }

    static func lua(_ value: ConfigValue, limit: Int) -> String {
        let text: String
        switch value {
        case .string(let s): text = quote(s)
        case .integer(let i): text = String(i)
        case .float(let d): text = String(d)
        case .boolean(let b): text = b ? "true" : "false"
        case .function: text = "function ... end"
        case .dynamic(let reason): text = "<dynamic: \(reason)>"
        case .table(let table):
            let items: [String] = table.isList
                ? table.arrayValues.map { lua($0, limit: limit) }
                : table.entries.map { entry in
                    let key = entry.key.stringValue.map { $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } ? $0 : "[\(quote($0))]" }
                        ?? "[\(lua(entry.key, limit: limit))]"
                    return "\(key) = \(lua(entry.value, limit: limit))"
                }
            text = items.isEmpty ? "{}" : "{ " + items.joined(separator: ", ") + " }"
        }
        return text.count > limit ? String(text.prefix(limit - 4)) + " ..." + (text.hasPrefix("{") ? "}" : "") : text
    }
}
