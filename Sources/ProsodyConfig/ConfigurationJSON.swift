import Foundation

/// JSON forms of the model. Hand-written, deterministic encoding.
public enum ConfigurationJSON {
    public enum Style: Sendable {
        /// Same shape and value encoding as `shared/tools/prosody-oracle` (for differential tests).
        /// It models the oracle run with `--short-link`, which loads the main file through a
        /// short `.cfg.lua` alias: neither the 60-byte path crash (`longPathWarningCrash`) nor
        /// the main file's name (`noParser`) make it fail there.
        case oracle
        /// Our full form: every option with its provenance, plus files and problems.
        case full
    }

    public struct Options: Sendable {
        /// Print file paths relative to this directory (the oracle's `--strip-dir`).
        public var relativeTo: String?
        /// Sort `files` (the oracle's `--sorted-files`).
        public var sortedFiles: Bool
        public init(relativeTo: String? = nil, sortedFiles: Bool = false) {
            self.relativeTo = relativeTo
            self.sortedFiles = sortedFiles
        }
    }

    public static func render(_ configuration: ProsodyConfiguration, style: Style) -> String {
        render(configuration, style: style, options: Options())
    }

    public static func render(_ configuration: ProsodyConfiguration, style: Style, options: Options) -> String {
        let value: JSON
        switch style {
        case .oracle: value = oracleDocument(configuration, options)
        case .full: value = fullDocument(configuration, options)
        }
        var out = ""
        value.write(to: &out, indent: 0)
        return out
    }

    /// The problem Prosody would stop at, as the oracle (run with `--short-link`) sees it.
    public static func oracleFatalProblem(_ c: ProsodyConfiguration) -> ConfigProblem? {
        c.problems.first { p in
            guard p.prosodyWouldFail else { return false }
            switch p.kind {
            case .longPathWarningCrash, .noParser: return false
            default: return true
            }
        }
    }

    // MARK: Oracle shape

    static func oracleDocument(_ c: ProsodyConfiguration, _ o: Options) -> JSON {
        func path(_ p: String) -> String { show(p, o) }
        var doc: [(String, JSON)] = [
            ("oracle", .string("prosody-doctor/oracle-compat/1")),
            ("prosody_version", .string(c.version == .v0_12 ? "0.12" : "13.0")),
            ("config_file", .string(path(c.mainFile))),
        ]
        let fatal = oracleFatalProblem(c)
        doc.append(("ok", .bool(fatal == nil)))
        if let fatal {
            var e: [(String, JSON)] = [("kind", .string(fatal.prosodyErrorKind ?? "parser"))]
            var message = fatal.message
            if let l = fatal.location, !raisedWithoutLocation(fatal.kind) {
                message = "\(path(l.file)):\(l.line): \(fatal.message)"
            }
            e.append(("message", .string(message)))
            e.append(("text", .string(fatal.message)))
            e.append(("file", fatal.location.map { .string(path($0.file)) } ?? .null))
            e.append(("line", fatal.location.map { .int(Int64($0.line)) } ?? .null))
            doc.append(("error", .object(e)))
            doc.append(("warnings", .array([])))
            doc.append(("files", .array([])))
            doc.append(("sections", .array([])))
            return .object(doc)
        }
        doc.append(("error", .null))
        doc.append(("warnings", .array(c.warnings.map { w in
            .object([("message", .string("\(path(w.file)):\(w.line): \(w.text)")), ("text", .string(w.text)),
                     ("file", .string(path(w.file))), ("line", .int(Int64(w.line)))])
        })))
        var files = c.files.map(path)
        if o.sortedFiles { files.sort { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) } }
        doc.append(("files", .array(files.map { .string($0) })))
        let all = [c.global] + c.sections.sorted { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
        doc.append(("sections", .array(all.map(oracleSection))))
        return .object(doc)
    }

    static func raisedWithoutLocation(_ kind: ConfigProblem.Kind) -> Bool {
        switch kind {
        case .hostComponentClash, .invalidHostName, .includeNotFound, .includeCycle, .unreadableFile, .notText, .noParser:
            return true
        default:
            return false
        }
    }

    static func oracleSection(_ s: ConfigSection) -> JSON {
        let raw = s.rawOptions
        let rawDict = Dictionary(raw.map { ($0.name, $0.value) }, uniquingKeysWith: { _, b in b })
        var fields: [(String, JSON)] = [("name", .string(s.name))]
        if s.isGlobal {
            fields.append(("kind", .string("global")))
        } else if let module = rawDict["component_module"] {
            fields.append(("kind", .string("Component")))
            fields.append(("module", encode(module)))
        } else if let defined = rawDict["defined"], defined.isTruthy != false {
            fields.append(("kind", .string("VirtualHost")))
        } else {
            fields.append(("kind", .string("unknown")))
        }
        let sorted = raw.sorted { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
        fields.append(("options", .object(sorted.map { ($0.name, encode($0.value)) })))
        return .object(fields)
    }

    static func show(_ p: String, _ o: Options) -> String {
        guard let base = o.relativeTo else { return p }
        var dir = base
        while dir.count > 1, dir.hasSuffix("/") { dir.removeLast() }
        if p.hasPrefix(dir + "/") { return String(p.dropFirst(dir.count + 1)) }
        return p
    }

    /// The oracle's value encoding.
    public static func encode(_ v: ConfigValue) -> JSON {
        switch v {
        case .string(let s): return .string(s)
        case .integer(let i): return .int(i)
        case .float(let d):
            if d.isNaN || d.isInfinite { return .string(LuaFormat.jsonNumber(d)) }
            return .raw(LuaFormat.jsonNumber(d))
        case .boolean(let b): return .bool(b)
        case .function: return .string("<function>")
        case .dynamic(let reason):
            if reason == "<cycle>" { return .string("<cycle>") }
            return .object([("<dynamic>", .string(reason))])
        case .table(let t):
            if isSequence(t) {
                return .array(t.entries.sorted { a, b in
                    if case .integer(let x) = a.key, case .integer(let y) = b.key { return x < y }
                    return false
                }.map { encode($0.value) })
            }
            var pairs: [(String, JSON)] = []
            var seen = Set<String>()
            for e in t.entries.reversed() {
                let k = keyString(e.key)
                if seen.insert(k).inserted { pairs.append((k, encode(e.value))) }
            }
            pairs.sort { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
            return .object(pairs)
        }
    }

    static func isSequence(_ t: ConfigTable) -> Bool {
        var keys = Set<Int64>()
        for e in t.entries {
            guard case .integer(let i) = e.key, i >= 1 else { return false }
            keys.insert(i)
        }
        return keys.count == t.entries.count && (keys.isEmpty || keys.max()! == Int64(keys.count))
    }

    static func keyString(_ k: ConfigValue) -> String {
        switch k {
        case .string(let s): return s
        case .integer(let i): return String(i)
        case .float(let d): return LuaFormat.jsonNumber(d)
        case .boolean(let b): return b ? "true" : "false"
        case .function: return "<function>"
        case .table: return "<table>"
        case .dynamic: return "<dynamic>"
        }
    }

    // MARK: Full shape

    static func location(_ l: SourceLocation, _ o: Options) -> [(String, JSON)] {
        [("file", .string(show(l.file, o))), ("line", .int(Int64(l.line))), ("column", .int(Int64(l.column)))]
    }

    static func fullDocument(_ c: ProsodyConfiguration, _ o: Options) -> JSON {
        func sectionJSON(_ s: ConfigSection) -> JSON {
            var fields: [(String, JSON)] = [("name", .string(s.name))]
            switch s.kind {
            case .global: fields.append(("kind", .string("global")))
            case .virtualHost: fields.append(("kind", .string("VirtualHost")))
            case .component(let m):
                fields.append(("kind", .string("Component")))
                fields.append(("module", .string(m)))
            }
            fields.append(("declarations", .array(s.declarations.map { .object(location($0, o)) })))
            fields.append(("options", .array(s.options.map { opt in
                .object([("name", .string(opt.name)), ("value", encode(opt.value))] + location(opt.location, o)
                        + [("via_table_form", .bool(opt.viaTableForm))])
            })))
            return .object(fields)
        }
        let assignments: [JSON] = c.assignments.map { a in
            .object([("name", .string(a.name)), ("section", .string(a.section)),
                     ("value", a.value.map(encode) ?? .null)] + location(a.location, o)
                    + [("via_table_form", .bool(a.viaTableForm)),
                       ("visual_section", a.visualSection.map { .string($0) } ?? .null)])
        }
        let problems: [JSON] = c.problems.map { p in
            var fields: [(String, JSON)] = [("kind", .string(problemKindName(p.kind))), ("message", .string(p.message))]
            if let l = p.location { fields += location(l, o) }
            fields.append(("prosody_would_fail", .bool(p.prosodyWouldFail)))
            if !p.related.isEmpty { fields.append(("related", .array(p.related.map { .object(location($0, o)) }))) }
            return .object(fields)
        }
        return .object([
            ("schema", .string("prosody-doctor.config/1")),
            ("prosody_version", .string(c.version.rawValue)),
            ("main_file", .string(show(c.mainFile, o))),
            ("prosody_would_fail", .bool(c.prosodyWouldFail)),
            ("files", .array(c.files.map { .string(show($0, o)) })),
            ("sections", .array(([c.global] + c.sections).map(sectionJSON))),
            ("assignments", .array(assignments)),
            ("warnings", .array(c.warnings.map { w in
                .object([("file", .string(show(w.file, o))), ("line", .int(Int64(w.line))), ("text", .string(w.text))])
            })),
            ("problems", .array(problems)),
        ])
    }

    public static func problemKindName(_ kind: ConfigProblem.Kind) -> String {
        switch kind {
        case .syntaxError: return "syntaxError"
        case .includeNotFound: return "includeNotFound"
        case .includeCycle: return "includeCycle"
        case .duplicateOption: return "duplicateOption"
        case .bareIdentifierIsNil: return "bareIdentifierIsNil"
        case .optionReadBeforeSet: return "optionReadBeforeSet"
        case .hostComponentClash: return "hostComponentClash"
        case .duplicateComponent: return "duplicateComponent"
        case .byteOrderMarkOrShebang: return "byteOrderMarkOrShebang"
        case .unreadableFile: return "unreadableFile"
        case .notText: return "notText"
        case .runtimeError: return "runtimeError"
        case .dynamic: return "dynamic"
        case .noParser: return "noParser"
        case .invalidHostName: return "invalidHostName"
        case .evaluationLimit: return "evaluationLimit"
        case .longPathWarningCrash: return "longPathWarningCrash"
        }
    }
}

/// A minimal JSON tree with ordered objects and a deterministic, oracle-like layout
/// (two-space indentation, `": "`, `[]`/`{}` when empty).
public indirect enum JSON: Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    /// A number already formatted.
    case raw(String)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    func write(to out: inout String, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .raw(let s): out += s
        case .string(let s): JSON.writeString(s, to: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[\n"
            let pad = String(repeating: "  ", count: indent + 1)
            for (i, item) in items.enumerated() {
                out += pad
                item.write(to: &out, indent: indent + 1)
                out += i == items.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: "  ", count: indent) + "]"
        case .object(let fields):
            if fields.isEmpty { out += "{}"; return }
            out += "{\n"
            let pad = String(repeating: "  ", count: indent + 1)
            for (i, (k, v)) in fields.enumerated() {
                out += pad
                JSON.writeString(k, to: &out)
                out += ": "
                v.write(to: &out, indent: indent + 1)
                out += i == fields.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: "  ", count: indent) + "}"
        }
    }

    static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7F {
                    out += String(format: "\\u%04x", u.value)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}
