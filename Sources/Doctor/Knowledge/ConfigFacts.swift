import Foundation
import LuaSyntax
import ProsodyConfig

/// Facts derived from the model the way Prosody derives them at run time
/// (modulemanager's module sets, enabled hosts), shared by the parity and security rules.
struct ConfigFacts {
    let configuration: ProsodyConfiguration
    let sources: SourceFiles
    /// Values derived once and shared by every copy (the inputs never change).
    private let memo = Memo()

    init(_ configuration: ProsodyConfiguration, sources: SourceFiles) {
        self.configuration = configuration
        self.sources = sources
    }

    /// Lazily computed facts; computed outside the lock (computations may nest).
    final class Memo: @unchecked Sendable {
        /// Held while a value is made, so that rules running side by side (`SharedWork`) wait
        /// for one computation instead of each making their own; recursive, because making
        /// one value may ask for another.
        private let lock = NSRecursiveLock()
        /// By `Key.name`: a dictionary keyed by String needs no run-time conformance lookup of
        /// its own key type (a visible cost on a small config, paid once per process).
        private var values: [String: Any] = [:]

        enum Key {
            case enabledHosts
            case globalAndHosts
            case globalAndEnabledHosts
            case listedModules
            case allModuleNames(ProsodyRelease)
            case baseModules(ProsodyRelease, component: Bool)
            /// A rule helper's own result, by a name unique to that helper.
            case named(String)

            var name: String {
                switch self {
                case .enabledHosts: "enabledHosts"
                case .globalAndHosts: "globalAndHosts"
                case .globalAndEnabledHosts: "globalAndEnabledHosts"
                case .listedModules: "listedModules"
                case .allModuleNames(let release): "allModuleNames/" + release.rawValue
                case .baseModules(let release, let component): "baseModules/" + release.rawValue + (component ? "/component" : "/host")
                case .named(let name): "named/" + name
                }
            }
        }

        func value<T>(_ key: Key, _ make: () -> T) -> T {
            let name = key.name
            lock.lock()
            defer { lock.unlock() }
            if let cached = values[name] as? T { return cached }
            let value = make()
            values[name] = value
            return value
        }
    }

    var global: ConfigSection { configuration.global }
    var hosts: [ConfigSection] { configuration.sections }

    /// `[global] + hosts`, built once (rules walk every section; the copy is not free on big configs).
    var globalAndHosts: [ConfigSection] { memo.value(.globalAndHosts) { [global] + hosts } }
    /// `[global] + enabledHosts`, built once.
    var globalAndEnabledHosts: [ConfigSection] { memo.value(.globalAndEnabledHosts) { [global] + enabledHosts } }

    /// `enabled` is not false on the host (falling back to the global value).
    func isEnabled(_ section: ConfigSection) -> Bool {
        // `effectiveOption("enabled", in: section.name)` without looking the section up by name.
        (section.option("enabled") ?? global.option("enabled"))?.value.boolValue != false
    }

    /// `make()`, computed once for every copy of these facts (`name` unique to the caller).
    func memoized<T>(_ name: String, _ make: () -> T) -> T { memo.value(.named(name), make) }

    var enabledHosts: [ConfigSection] { memo.value(.enabledHosts) { hosts.filter(isEnabled) } }

    /// A component named like a bare JID (`user@host`) is not a domain.
    static func isBareJID(_ name: String) -> Bool { ASCIIText.contains("@", in: name) }

    /// Autoloaded modules (0.12 adds the platform module `posix`).
    static func autoload(_ release: ProsodyRelease) -> Set<String> {
        var set: Set<String> = ["presence", "message", "iq", "offline", "c2s", "s2s", "s2s_auth_certs"]
        if release != .v13 { set.insert("posix") }
        return set
    }

    static let inheritable: Set<String> = ["tls", "saslauth", "dialback", "iq", "s2s", "s2s_bidi", "smacks",
                                           "server_contact_info"]

    /// A section's own list (`ipairs` semantics); nil when not set.
    func ownList(_ name: String, in section: ConfigSection) -> [String]? {
        section[name]?.stringList
    }

    /// The global part of `modules(for:)`: autoloaded and global modules (only the inheritable
    /// ones for a component).
    private func baseModules(component: Bool, release: ProsodyRelease) -> Set<String> {
        memo.value(.baseModules(release, component: component)) { () -> Set<String> in
            let globalEnabled = Set(global["modules_enabled"]?.stringList ?? [])
            let globalDisabled = Set(global["modules_disabled"]?.stringList ?? [])
            var set = Self.autoload(release).union(globalEnabled).subtracting(globalDisabled)
            if component { set.formIntersection(Self.inheritable) }
            return set
        }
    }

    /// modulemanager's module set for a host (research §1.6).
    func modules(for section: ConfigSection, release: ProsodyRelease) -> Set<String> {
        let component = section.componentModule != nil
        var set = baseModules(component: component, release: release)
        if !section.isGlobal {
            set.formUnion(section["modules_enabled"]?.stringList ?? [])
            set.subtract(section["modules_disabled"]?.stringList ?? [])
        }
        if let module = section.componentModule, module != "component" { set.insert(module) }
        return set
    }

    /// Modules named in global and enabled hosts' `modules_enabled` (what prosodyctl inspects).
    func listedModules() -> [(module: String, option: ConfigOption, section: ConfigSection)] {
        listedModules { _ in true }
    }

    /// `listedModules().filter { test($0.module) }`, without making an entry for every module of
    /// every host first (a big config lists tens of thousands).
    func listedModules(where test: (String) -> Bool) -> [(module: String, option: ConfigOption, section: ConfigSection)] {
        var result: [(module: String, option: ConfigOption, section: ConfigSection)] = []
        // By index: only a matching entry's option and section are copied.
        let lists = moduleLists()
        for index in lists.indices {
            for module in lists[index].modules where test(module) { result.append((module, lists[index].option, lists[index].section)) }
        }
        return result
    }

    /// True when some global or enabled host's `modules_enabled` names a module passing `test`.
    func listsModule(where test: (String) -> Bool) -> Bool {
        let lists = moduleLists()
        return lists.indices.contains { lists[$0].modules.contains(where: test) }
    }

    /// Each global or enabled host's `modules_enabled` list, with the option and its section, made once.
    private func moduleLists() -> [(modules: [String], option: ConfigOption, section: ConfigSection)] {
        memo.value(.listedModules) { () -> [(modules: [String], option: ConfigOption, section: ConfigSection)] in
            var result: [(modules: [String], option: ConfigOption, section: ConfigSection)] = []
            for section in globalAndEnabledHosts {
                guard let option = section.option("modules_enabled"), let list = option.value.stringList else { continue }
                result.append((list, option, section))
            }
            return result
        }
    }

    /// Every module name any section loads or lists (for option-prefix matching).
    func allModuleNames(release: ProsodyRelease) -> Set<String> {
        memo.value(.allModuleNames(release)) { computeAllModuleNames(release: release) }
    }

    private func computeAllModuleNames(release: ProsodyRelease) -> Set<String> {
        // The union of each section's list, component module and `modules(for:)`. A section
        // adds its own list and module anyway, so `modules(for:)` only adds its base set minus
        // the section's own modules_disabled: the base set itself when nothing is disabled.
        var names = Set<String>(minimumCapacity: 64)
        // Whether some host (component, or not) takes its whole base set.
        var wholeBase = (host: false, component: false)
        for section in globalAndHosts {
            names.formUnion(section["modules_enabled"]?.stringList ?? [])
            if let m = section.componentModule { names.insert(m) }
            let component = section.componentModule != nil
            let disabled = section.isGlobal ? [] : (section["modules_disabled"]?.stringList ?? [])
            if disabled.isEmpty {
                if component { wholeBase.component = true } else { wholeBase.host = true }
            } else {
                names.formUnion(baseModules(component: component, release: release).subtracting(disabled))
            }
        }
        if wholeBase.host { names.formUnion(baseModules(component: false, release: release)) }
        if wholeBase.component { names.formUnion(baseModules(component: true, release: release)) }
        return names
    }

    /// A readable name for a section in messages.
    static func describe(_ section: ConfigSection) -> String {
        switch section.kind {
        case .global: return "the global section"
        case .virtualHost: return "VirtualHost \"\(section.name)\""
        case .component(let module):
            return module == "component" ? "Component \"\(section.name)\"" : "Component \"\(section.name)\" \"\(module)\""
        }
    }

    /// The file looks like a fragment meant to be included from a main config
    /// (a `conf.d`-style directory or a name other than prosody.cfg.lua).
    var looksLikeFragment: Bool {
        let main = configuration.files.last ?? ""
        let parts = main.split(separator: "/")
        let directory = parts.dropLast().last.map(String.init) ?? ""
        let name = parts.last.map(String.init) ?? ""
        if ["conf.d", "conf.avail", "sites-enabled", "sites-available"].contains(directory) { return true }
        if main.contains("conf.d") || main.contains("conf.avail") { return true }
        return !name.lowercased().contains("prosody") && global.options.allSatisfy { $0.name == "log" }
    }

    // MARK: - Finding exact text in the sources

    /// The location of a quoted string literal `"text"` (or `'text'`) inside the value
    /// written at `location` (an option name): the region from the option name to the end
    /// of its table or line. Only returned when the literal occurs exactly once there.
    func literalLocation(_ text: String, after location: SourceLocation) -> SourceLocation? {
        guard let bytes = sources.texts[location.file] else { return nil }
        let start = location.range.start.offset
        guard start >= 0, start < bytes.count else { return nil }
        let end = valueEnd(in: bytes, from: start)
        var matches: [Int] = []
        for quote in [UInt8(ascii: "\""), UInt8(ascii: "'")] {
            let needle = [quote] + Array(text.utf8) + [quote]
            var i = start
            while i + needle.count <= end {
                if bytes[i] == quote, Array(bytes[i..<(i + needle.count)]) == needle { matches.append(i) }
                i += 1
            }
        }
        guard matches.count == 1, let offset = matches.first else { return nil }
        return SourceLocation(file: location.file, range: range(in: bytes, from: offset, length: text.utf8.count + 2))
    }

    /// Where the option name written at `location` is, as a location (for a rename edit).
    func nameLocation(_ name: String, at location: SourceLocation) -> SourceLocation? {
        guard let bytes = sources.texts[location.file] else { return nil }
        let start = location.range.start.offset
        let needle = Array(name.utf8)
        guard start >= 0, start + needle.count <= bytes.count, Array(bytes[start..<(start + needle.count)]) == needle
        else { return nil }
        return SourceLocation(file: location.file, range: range(in: bytes, from: start, length: needle.count))
    }

    /// An edit deleting the whole line of a one-line assignment (`name = value` alone on its
    /// line, an optional trailing `;` and comment). nil when the statement spans lines or shares one.
    func lineDeletion(of option: ConfigOption) -> TextEdit? {
        guard let bytes = sources.texts[option.location.file] else { return nil }
        let start = option.location.range.start.offset
        guard start >= 0, start < bytes.count else { return nil }
        var lineStart = start
        while lineStart > 0, bytes[lineStart - 1] != UInt8(ascii: "\n") { lineStart -= 1 }
        guard bytes[lineStart..<start].allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) else { return nil }
        var lineEnd = start
        while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
        guard let valueRange = option.valueRange else { return nil }
        let end = valueRange.end.offset
        guard end <= lineEnd, end >= start else { return nil }
        // Only `;`, spaces and a comment may follow the value on that line.
        var rest = Array(bytes[end..<lineEnd])
        if let dash = rest.firstIndex(of: UInt8(ascii: "-")), dash + 1 < rest.count, rest[dash + 1] == UInt8(ascii: "-") {
            rest = Array(rest[..<dash])
        }
        guard rest.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: ";")
                                || $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\r") }) else { return nil }
        let deleteEnd = lineEnd < bytes.count ? lineEnd + 1 : lineEnd
        let range = self.range(in: bytes, from: lineStart, length: deleteEnd - lineStart)
        return TextEdit(location: SourceLocation(file: option.location.file, range: range), replacement: "")
    }

    /// End of the value after an option name: the matching `}` of the first table, or the end of the line.
    private func valueEnd(in bytes: [UInt8], from start: Int) -> Int {
        var i = start
        var depth = 0
        var seenBrace = false
        var quote: UInt8?
        while i < bytes.count {
            let c = bytes[i]
            if let q = quote {
                if c == UInt8(ascii: "\\") { i += 2; continue }
                if c == q { quote = nil }
            } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                quote = c
            } else if c == UInt8(ascii: "-"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "-") {
                while i < bytes.count, bytes[i] != UInt8(ascii: "\n") { i += 1 }
                if !seenBrace { return i }
                continue
            } else if c == UInt8(ascii: "{") {
                depth += 1
                seenBrace = true
            } else if c == UInt8(ascii: "}") {
                depth -= 1
                if depth <= 0 { return i + 1 }
            } else if c == UInt8(ascii: "\n"), !seenBrace {
                // The value may start on the next line (`x =\n { ... }`): continue if only `=`/space so far.
                let soFar = bytes[start..<i]
                if soFar.contains(UInt8(ascii: "=")) && soFar.drop(while: { $0 != UInt8(ascii: "=") }).dropFirst()
                    .contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") && $0 != UInt8(ascii: "\r") }) {
                    return i
                }
            }
            i += 1
        }
        return bytes.count
    }

    private func range(in bytes: [UInt8], from offset: Int, length: Int) -> SourceRange {
        func position(_ target: Int) -> SourcePosition {
            var line = 1
            var lineStart = 0
            var i = 0
            while i < target && i < bytes.count {
                if bytes[i] == UInt8(ascii: "\n") {
                    line += 1
                    lineStart = i + 1
                }
                i += 1
            }
            return SourcePosition(offset: target, line: line, column: target - lineStart + 1)
        }
        return SourceRange(start: position(offset), end: position(offset + length))
    }
}

extension ConfigValue {
    /// A short, secret-free rendering for messages.
    var brief: String {
        switch self {
        case .string(let s): return "\"\(s)\""
        case .integer(let i): return String(i)
        case .float(let d): return String(d)
        case .boolean(let b): return b ? "true" : "false"
        case .table: return "{ ... }"
        case .function: return "a function"
        case .dynamic: return "a value computed at run time"
        }
    }

    var typeName: String {
        switch self {
        case .string: return "string"
        case .integer, .float: return "number"
        case .boolean: return "boolean"
        case .table: return "table"
        case .function: return "function"
        case .dynamic: return "dynamic value"
        }
    }
}
