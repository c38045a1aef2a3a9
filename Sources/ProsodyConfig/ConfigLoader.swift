import Foundation
import LuaSyntax

/// The texts of every file read, for excerpts in reports.
public struct SourceFiles: Sendable {
    public var texts: [String: [UInt8]]
    public init(texts: [String: [UInt8]] = [:]) { self.texts = texts }
    /// The given 1-based line of a file, without its line terminator.
    public func line(_ number: Int, in file: String) -> String? {
        guard let bytes = texts[file], number >= 1 else { return nil }
        var current = 1
        var start = 0
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\n") {
                if current == number { break }
                current += 1
                start = index + 1
            }
            index += 1
        }
        guard current == number, start <= bytes.count else { return nil }
        var end = index
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}

public struct LoadedConfiguration: Sendable {
    public var configuration: ProsodyConfiguration
    public var sources: SourceFiles
    public init(configuration: ProsodyConfiguration, sources: SourceFiles) {
        self.configuration = configuration
        self.sources = sources
    }
}

/// Loads a Prosody config file tree with configmanager semantics: a bounded interpreter
/// for the config subset of Lua (sections as runtime state, Include, ENV_, locals, loops,
/// helper functions...). Anything host-dependent becomes `.dynamic`, never a guess.
public struct ConfigLoader: Sendable {
    public enum IncludeOrder: Sendable, Hashable {
        /// The real directory listing order (readdir, unsorted), as Prosody does.
        case directoryListing
        /// Bytewise sorted (deterministic tests).
        case sorted
    }

    /// The environment `ENV_` names read (default: the process environment, read when a
    /// config first asks for a variable: copying it costs more than loading a small config).
    public var environment: [String: String] {
        get { environmentValues ?? ProcessInfo.processInfo.environment }
        set { environmentValues = newValue }
    }
    private var environmentValues: [String: String]?
    public var version: ProsodyVersion
    public var includeOrder: IncludeOrder
    /// Make a relative main path absolute against the working directory first, as
    /// prosody/prosodyctl are normally given an absolute path (and as the oracle does).
    /// False reproduces Prosody's behaviour with a relative `--config` (§0 item 5).
    public var absolutizeMainPath: Bool
    /// Evaluation bounds (nothing can hang).
    public var maxLoopIterations: Int
    public var maxCallDepth: Int
    public var stepBudget: Int
    /// Leave the evaluation state (evaluator, syntax trees, Lua values) allocated after the
    /// load. For a process that exits once it has reported: freeing a big config's state
    /// piece by piece costs about a tenth of the run and serves nothing.
    public var leavesEvaluationAllocated = false

    public init(environment: [String: String]? = nil,
                version: ProsodyVersion = .v0_12, includeOrder: IncludeOrder = .directoryListing,
                absolutizeMainPath: Bool = true) {
        self.environmentValues = environment
        self.version = version
        self.includeOrder = includeOrder
        self.absolutizeMainPath = absolutizeMainPath
        self.maxLoopIterations = 10_000
        self.maxCallDepth = 100
        self.stepBudget = 2_000_000
    }

    /// Loads the main config at `path` and its Includes. Problems (syntax errors, missing
    /// includes, unreadable files...) are recorded in the model; this never throws.
    public func load(path: String) -> LoadedConfiguration {
        LargeStack.run { self.loadOnCurrentThread(path: path) }
    }

    func loadOnCurrentThread(path: String) -> LoadedConfiguration {
        let mainPath = absolutizeMainPath ? Self.absolutize(path) : path
        let evaluator = makeEvaluator()
        if leavesEvaluationAllocated { _ = Unmanaged.passRetained(evaluator) }
        let fileLocation = SourceLocation(file: mainPath, range: Evaluator.lineRange(1))
        let kind = PosixFiles.kind(of: mainPath)
        if !kind.exists {
            evaluator.report(.unreadableFile(path: mainPath), "\(mainPath): No such file or directory", at: nil,
                             fatal: true, errorKind: "file")
            return finish(evaluator, mainFile: mainPath)
        }
        if kind.isDirectory {
            evaluator.report(.unreadableFile(path: mainPath), "\(mainPath) is a directory", at: nil, fatal: true, errorKind: "file")
            return finish(evaluator, mainFile: mainPath)
        }
        checkFormat(mainPath, evaluator)
        guard let bytes = PosixFiles.contents(of: mainPath) else {
            evaluator.report(.unreadableFile(path: mainPath), "\(mainPath): Permission denied", at: fileLocation,
                             fatal: true, errorKind: "file")
            return finish(evaluator, mainFile: mainPath)
        }
        evaluator.loadFile(path: mainPath, bytes: bytes, includedFrom: nil)
        return finish(evaluator, mainFile: mainPath)
    }

    /// Loads config text given directly (stdin); Includes resolve against `fileName`'s directory.
    /// `fileName` may be synthetic, so its suffix is not checked (no `noParser` problem).
    public func load(bytes: [UInt8], fileName: String) -> LoadedConfiguration {
        LargeStack.run { self.loadOnCurrentThread(bytes: bytes, fileName: fileName) }
    }

    func loadOnCurrentThread(bytes: [UInt8], fileName: String) -> LoadedConfiguration {
        let evaluator = makeEvaluator()
        if leavesEvaluationAllocated { _ = Unmanaged.passRetained(evaluator) }
        evaluator.loadFile(path: fileName, bytes: bytes, includedFrom: nil)
        return finish(evaluator, mainFile: fileName)
    }

    static func absolutize(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        var rest = Substring(path)
        while rest.hasPrefix("./") {
            rest = rest.dropFirst(2)
            while rest.hasPrefix("/") { rest = rest.dropFirst() }
        }
        var cwd = PosixFiles.currentDirectory()
        while cwd.count > 1, cwd.hasSuffix("/") { cwd.removeLast() }
        return (cwd == "/" ? "" : cwd) + "/" + rest
    }

    func makeEvaluator() -> Evaluator {
        var settings = EvaluatorSettings(environment: environmentValues, version: version, sortedIncludes: includeOrder == .sorted)
        settings.keepsSyntaxTrees = leavesEvaluationAllocated
        settings.maxLoopIterations = maxLoopIterations
        settings.maxCallDepth = maxCallDepth
        settings.stepBudget = stepBudget
        return Evaluator(settings: settings)
    }

    /// configmanager picks the parser from the last run of alphanumerics of the file name.
    func checkFormat(_ path: String, _ evaluator: Evaluator) {
        // The trailing run of ASCII alphanumerics (what CharacterSet.alphanumerics holds of
        // ASCII), found on the UTF-8 bytes: any other byte ends the run.
        let bytes = path.utf8
        var start = bytes.endIndex
        while start > bytes.startIndex {
            let b = bytes[bytes.index(before: start)]
            guard (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) else { break }
            start = bytes.index(before: start)
        }
        let format = String(path.unicodeScalars[start...])
        if format != "lua" {
            let message = format.isEmpty ? "no parser specified" : "no parser for \(format)"
            evaluator.report(.noParser(format: format), message, at: nil, fatal: true, errorKind: "file")
        }
    }

    /// From this many assignments, `finish` uses a second thread.
    static let sideBySideAssignments = 20_000

    func finish(_ e: Evaluator, mainFile: String) -> LoadedConfiguration {
        var converter = ValueConverter()
        let pending = e.assignments
        let sources = e.sources
        // A big config has its visual sections found on a second core meanwhile (they read
        // only the source texts and the locations).
        let findVisualSections: () -> [String?] = {
            var visual = VisualSections(sources: sources)
            return pending.map { visual.section(for: $0.location) }
        }
        // The assignments first: a section's value is the value of the assignment that set it
        // (converted once, here), or a bookkeeping value converted below.
        func convertAssignments() -> [OptionAssignment] {
            pending.map { a -> OptionAssignment in
                var o = OptionAssignment(name: a.name, value: converter.convert(a.value), location: a.location,
                                         section: a.section, viaTableForm: a.viaTableForm)
                o.valueRange = a.valueRange
                o.statementLine = a.statementLine
                return o
            }
        }
        var assignments: [OptionAssignment] = []
        let visualSections = SideBySide.Result<[String?]>()
        if pending.count >= Self.sideBySideAssignments {
            SideBySide.run({ assignments = convertAssignments() }, beside: { visualSections.value = findVisualSections() })
        } else {
            assignments = convertAssignments()
            visualSections.value = findVisualSections()
        }
        if let found = visualSections.value {
            for index in assignments.indices { assignments[index].visualSection = found[index] }
        }
        func option(_ key: String, _ entry: RawEntry) -> ConfigOption {
            let value = entry.assignment.map { assignments[$0].value } ?? converter.convert(entry.value)
            var o = ConfigOption(name: key, value: value ?? .dynamic(reason: "nil"), location: entry.location)
            o.valueRange = entry.valueRange
            o.viaTableForm = entry.viaTableForm
            return o
        }
        func section(_ state: SectionState) -> ConfigSection {
            var kind: SectionKind = .global
            if state.name != "*" {
                if state.declaredAsComponent, case .string(let m) = state.rawValue("component_module") {
                    kind = .component(module: m)
                } else if state.declaredAsComponent {
                    kind = .component(module: state.declaredModules.last ?? "component")
                } else {
                    kind = .virtualHost
                }
            }
            var s = ConfigSection(name: state.name, kind: kind, declarations: state.declarations, options: [])
            s.options.reserveCapacity(state.items.count)
            for (key, entry) in state.items {
                if entry.isBookkeeping { s.bookkeeping.append(option(key, entry)) } else { s.options.append(option(key, entry)) }
            }
            s.declaredModules = state.declaredModules
            return s
        }
        let global = section(e.sections["*"]!)
        let sections = e.sectionOrder.compactMap { e.sections[$0] }.map(section)
        var model = ProsodyConfiguration(global: global, sections: sections, assignments: assignments,
                                         files: e.files, problems: e.problems)
        model.mainFile = mainFile
        model.version = version
        model.warnings = e.warnings
        return LoadedConfiguration(configuration: model, sources: SourceFiles(texts: e.sources))
    }
}

/// LuaValue -> ConfigValue (tables are snapshotted at the end of the load, as Prosody sees them).
struct ValueConverter {
    var ancestors = Set<ObjectIdentifier>()
    var depth = 0
    /// Top-level table snapshots already made: a section's value and its assignments share
    /// the table object, and a snapshot from the top depends only on the table's contents,
    /// which no longer change once the load is over.
    private var snapshots: [ObjectIdentifier: ConfigValue] = [:]

    mutating func convert(_ v: LuaValue) -> ConfigValue? {
        if depth == 0, ancestors.isEmpty, case .table(let t) = v {
            let id = ObjectIdentifier(t)
            if let cached = snapshots[id] { return cached }
            let value = convertValue(v)
            if let value { snapshots[id] = value }
            return value
        }
        return convertValue(v)
    }

    private mutating func convertValue(_ v: LuaValue) -> ConfigValue? {
        switch v {
        case .nil: return nil
        case .bool(let b): return .boolean(b)
        case .int(let i): return .integer(i)
        case .float(let d): return .float(d)
        case .string(let s): return .string(s)
        case .dynamic(let r): return .dynamic(reason: r)
        case .namespace(let ns): return .dynamic(reason: "Lua library table '\(ns)'")
        case .proxy(let section, let name): return .dynamic(reason: "<option-proxy>:\(section)/\(name)")
        case .function(let f):
            return .function(f.location ?? SourceLocation(file: "<builtin>", range: Evaluator.lineRange(0)))
        case .table(let t):
            let id = ObjectIdentifier(t)
            if ancestors.contains(id) { return .dynamic(reason: "<cycle>") }
            if depth > 260 { return .dynamic(reason: "table nested too deeply") }
            ancestors.insert(id)
            depth += 1
            defer { ancestors.remove(id); depth -= 1 }
            var entries: [ConfigTable.Entry] = []
            entries.reserveCapacity(t.pairs.count)
            // In insertion order, read in place.
            for (k, value) in t.pairs {
                guard let cv = convert(value) else { continue }
                let key: ConfigValue
                switch k {
                case .int(let i): key = .integer(i)
                case .float(let d): key = .float(d)
                case .string(let s): key = .string(s)
                case .bool(let b): key = .boolean(b)
                case .object(_, let type): key = .string("<\(type)>")
                }
                entries.append(ConfigTable.Entry(key: key, value: cv))
            }
            return .table(ConfigTable(entries: entries))
        }
    }
}

/// Which section header a line *looks* like it belongs to, by indentation.
struct VisualSections {
    let sources: [String: [UInt8]]
    /// file -> per line (1-based index) the visual section name.
    var cache: [String: [String?]] = [:]

    init(sources: [String: [UInt8]]) { self.sources = sources }

    /// The table of the file looked up last (assignments come file by file).
    private var lastFile: String?
    private var lastTable: [String?] = []

    mutating func section(for location: SourceLocation) -> String? {
        if location.file != lastFile {
            if cache[location.file] == nil { cache[location.file] = Self.compute(sources[location.file] ?? []) }
            lastTable = cache[location.file]!
            lastFile = location.file
        }
        let table = lastTable
        let line = location.line
        return line >= 1 && line < table.count ? table[line] : nil
    }

    static func compute(_ bytes: [UInt8]) -> [String?] {
        // Split into lines.
        var lines: [ArraySlice<UInt8>] = []
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var start = 0
            while start <= buffer.count {
                let rest = buffer.count - start
                if rest > 0, let found = memchr(base + start, 0x0A, rest) {
                    let end = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                    lines.append(bytes[start..<end])
                    start = end + 1
                } else {
                    lines.append(bytes[start..<buffer.count])
                    break
                }
            }
        }
        var result: [String?] = [nil]
        // Monotonic stack of (indent, header name) of previous non-blank lines.
        var stack: [(indent: Int, header: String?)] = []
        for line in lines {
            var indent = 0
            var blank = true
            for b in line {
                if b == 0x20 { indent += 1 } else if b == 0x09 { indent = (indent / 8 + 1) * 8 } else if b == 0x0D { continue } else { blank = false; break }
            }
            if blank { result.append(nil); continue }
            while let top = stack.last, top.indent >= indent { stack.removeLast() }
            result.append(stack.last?.header ?? nil)
            stack.append((indent, header(line)))
        }
        return result
    }

    /// `VirtualHost "x"`, `Component "y" "muc"`, `-- VirtualHost "z"` (also `Host`, `(`, `'`).
    static func header(_ line: ArraySlice<UInt8>) -> String? {
        // Byte pre-check (a necessary condition of the Character-level scan below): after
        // blanks, dashes and blanks, the line must start with a keyword's first letter.
        var i = line.startIndex
        while i < line.endIndex, line[i] == 0x20 || line[i] == 0x09 { i += 1 }
        while i < line.endIndex, line[i] == 0x2D { i += 1 }
        while i < line.endIndex, line[i] == 0x20 || line[i] == 0x09 { i += 1 }
        guard i < line.endIndex else { return nil }
        switch line[i] {
        case UInt8(ascii: "V"), UInt8(ascii: "C"), UInt8(ascii: "c"), UInt8(ascii: "H"), UInt8(ascii: "h"): break
        default: return nil
        }
        let head = line.prefix(300)
        if !head.contains(where: { $0 >= 0x80 }) { return asciiHeader(head) }
        var s = Substring(String(decoding: head, as: UTF8.self))
        s = s.drop { $0 == " " || $0 == "\t" }
        while s.hasPrefix("-") { s = s.dropFirst() }
        s = s.drop { $0 == " " || $0 == "\t" }
        var keyword: Substring = ""
        for k in ["VirtualHost", "Component", "component", "Host", "host"] where s.hasPrefix(k) {
            keyword = Substring(k)
            break
        }
        guard !keyword.isEmpty else { return nil }
        s = s.dropFirst(keyword.count)
        s = s.drop { $0 == " " || $0 == "\t" || $0 == "(" }
        guard let quote = s.first, quote == "\"" || quote == "'" else { return nil }
        s = s.dropFirst()
        guard let end = s.firstIndex(of: quote) else { return nil }
        let name = String(s[..<end])
        return Nameprep.prepare(name) ?? name.lowercased()
    }

    /// `header` for an ASCII line, on its bytes (each byte is one character there).
    private static func asciiHeader(_ line: ArraySlice<UInt8>) -> String? {
        var i = line.startIndex
        func skipBlanks() { while i < line.endIndex, line[i] == 0x20 || line[i] == 0x09 { i += 1 } }
        skipBlanks()
        while i < line.endIndex, line[i] == UInt8(ascii: "-") { i += 1 }
        skipBlanks()
        var matched = false
        for keyword in headerKeywords where line[i...].starts(with: keyword) {
            i += keyword.count
            matched = true
            break
        }
        guard matched else { return nil }
        while i < line.endIndex, line[i] == 0x20 || line[i] == 0x09 || line[i] == UInt8(ascii: "(") { i += 1 }
        guard i < line.endIndex, line[i] == UInt8(ascii: "\"") || line[i] == UInt8(ascii: "'") else { return nil }
        let quote = line[i]
        let start = i + 1
        guard let end = line[start...].firstIndex(of: quote) else { return nil }
        let name = String(decoding: line[start..<end], as: UTF8.self)
        return Nameprep.prepare(name) ?? name.lowercased()
    }

    private static let headerKeywords: [[UInt8]] = ["VirtualHost", "Component", "component", "Host", "host"].map { Array($0.utf8) }
}

