import LuaSyntax

/// Where something was written: a file and a range in it.
public struct SourceLocation: Sendable, Hashable {
    public var file: String
    public var range: SourceRange
    public init(file: String, range: SourceRange) {
        self.file = file
        self.range = range
    }
    public var line: Int { range.start.line }
    public var column: Int { range.start.column }
}

public enum SectionKind: Sendable, Hashable {
    case global
    case virtualHost
    /// `module` is `"component"` for an external (XEP-0114) component, as in Prosody.
    case component(module: String)
}

/// One assignment of an option, as written (the history, not only the effective value).
public struct OptionAssignment: Sendable {
    public var name: String
    /// nil when the assignment removes the option (`x = nil`, `x = ENV_UNSET`).
    public var value: ConfigValue?
    public var location: SourceLocation
    /// The section the assignment landed in (Prosody's runtime section), e.g. "*".
    public var section: String
    /// Set through the table form `VirtualHost "x" { ... }` (never a duplicate warning).
    public var viaTableForm: Bool
    /// Where the assigned value was written (nil when not known).
    public var valueRange: SourceRange?
    /// The section whose header the assignment *looks* like it belongs to by indentation:
    /// the nearest preceding non-blank line with less indentation, when that line is a
    /// `VirtualHost`/`Component` declaration, commented out (`-- VirtualHost "x"`) or not.
    /// The name is given nameprepped (lowercased), like section names.
    public var visualSection: String?
    /// The line Prosody would print in a `Duplicate option` warning for this assignment
    /// (Lua attributes the store to the last token of the value list).
    public var statementLine: Int
    public init(name: String, value: ConfigValue?, location: SourceLocation, section: String, viaTableForm: Bool) {
        self.name = name
        self.value = value
        self.location = location
        self.section = section
        self.viaTableForm = viaTableForm
        self.valueRange = nil
        self.visualSection = nil
        self.statementLine = location.line
    }
}

/// The effective value of an option in one section, with its provenance.
public struct ConfigOption: Sendable {
    public var name: String
    public var value: ConfigValue
    public var location: SourceLocation
    /// Where the value was written (nil when not known).
    public var valueRange: SourceRange?
    /// Set through a table form (`VirtualHost "x" { ... }`).
    public var viaTableForm: Bool
    public init(name: String, value: ConfigValue, location: SourceLocation) {
        self.name = name
        self.value = value
        self.location = location
        self.valueRange = nil
        self.viaTableForm = false
    }
}

public struct ConfigSection: Sendable {
    /// The fields live in one shared, copy-on-write box: rules pass sections around by value
    /// in loops over every host (thousands in a big config), and a copy is then one retain
    /// instead of one per field. Value semantics are unchanged.
    private final class Storage: @unchecked Sendable {
        var name: String
        var kind: SectionKind
        var declarations: [SourceLocation]
        var options: [ConfigOption]
        var bookkeeping: [ConfigOption]
        var declaredModules: [String]
        init(name: String, kind: SectionKind, declarations: [SourceLocation], options: [ConfigOption],
             bookkeeping: [ConfigOption], declaredModules: [String]) {
            self.name = name
            self.kind = kind
            self.declarations = declarations
            self.options = options
            self.bookkeeping = bookkeeping
            self.declaredModules = declaredModules
        }
        func copy() -> Storage {
            Storage(name: name, kind: kind, declarations: declarations, options: options,
                    bookkeeping: bookkeeping, declaredModules: declaredModules)
        }
    }
    private var storage: Storage

    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    /// "*" for the global section, else the nameprepped host name.
    public var name: String {
        get { storage.name }
        _modify { makeUnique(); yield &storage.name }
    }
    public var kind: SectionKind {
        get { storage.kind }
        _modify { makeUnique(); yield &storage.kind }
    }
    /// Every place the section was declared (a VirtualHost may be declared more than once).
    public var declarations: [SourceLocation] {
        get { storage.declarations }
        _modify { makeUnique(); yield &storage.declarations }
    }
    /// Effective options, in the order they were first set.
    public var options: [ConfigOption] {
        get { storage.options }
        _modify { makeUnique(); yield &storage.options }
    }
    /// The bookkeeping keys configmanager stores itself (`defined`, `component_module`,
    /// `load_global_modules`) with the declaration that set them. A key the config also
    /// assigns explicitly appears in `options` instead (the raw table has one value a key).
    public var bookkeeping: [ConfigOption] {
        get { storage.bookkeeping }
        _modify { makeUnique(); yield &storage.bookkeeping }
    }
    /// The module names a Component was declared with, in order (more than one: redeclared).
    public var declaredModules: [String] {
        get { storage.declaredModules }
        _modify { makeUnique(); yield &storage.declaredModules }
    }

    public init(name: String, kind: SectionKind, declarations: [SourceLocation], options: [ConfigOption]) {
        storage = Storage(name: name, kind: kind, declarations: declarations, options: options,
                          bookkeeping: [], declaredModules: [])
    }

    /// Prosody's raw section table: `options` plus `bookkeeping` (what the oracle prints).
    public var rawOptions: [ConfigOption] {
        let own = Set(options.map(\.name))
        return bookkeeping.filter { !own.contains($0.name) } + options
    }

    public func option(_ name: String) -> ConfigOption? {
        // By index: compares the names in place instead of copying every option.
        let options = storage.options
        for index in options.indices where options[index].name == name { return options[index] }
        return nil
    }
    /// `option(name)?.value`, without copying the rest of the option.
    public subscript(name: String) -> ConfigValue? {
        let options = storage.options
        for index in options.indices where options[index].name == name { return options[index].value }
        return nil
    }

    public var isGlobal: Bool { kind == .global }
    public var isVirtualHost: Bool { kind == .virtualHost }
    public var componentModule: String? {
        if case .component(let m) = kind { return m }
        return nil
    }
}

/// Something the loader met that Prosody would reject or warn about, or that makes
/// the model incomplete. Rules turn these into findings.
public struct ConfigProblem: Sendable {
    public enum Kind: Sendable, Hashable {
        case syntaxError
        case includeNotFound(pattern: String)
        case includeCycle(file: String)
        case duplicateOption(name: String, section: String)
        case bareIdentifierIsNil(name: String)
        case optionReadBeforeSet(name: String)
        case hostComponentClash(name: String)
        case duplicateComponent(name: String)
        case byteOrderMarkOrShebang
        case unreadableFile(path: String)
        case notText(path: String)
        /// A runtime error Prosody would raise while loading (e.g. calling a nil value).
        case runtimeError
        /// A value or control flow that could not be evaluated statically.
        case dynamic
        /// The main config's file name does not end in `lua` (`no parser for example`).
        case noParser(format: String)
        /// A host name nameprep rejects (`contains forbidden characters`).
        case invalidHostName(name: String)
        /// An evaluation limit was hit (loop iterations, call depth, nesting); the rest of
        /// that construct was not evaluated.
        case evaluationLimit
        /// A file path of 60 bytes or more plus a configmanager warning: Prosody 0.12 crashes
        /// with `bad argument #2 to 'format' (number expected, got nil)` (§0 item 6).
        case longPathWarningCrash(path: String)
    }
    public var kind: Kind
    public var message: String
    public var location: SourceLocation?
    /// Other relevant places (the first assignment of a duplicate, the clashing section...).
    public var related: [SourceLocation]
    /// True when Prosody itself would refuse to load the config because of this problem
    /// (syntax error, runtime error, missing include...). We keep evaluating regardless.
    public var prosodyWouldFail: Bool
    /// Prosody's error class when it fails: `"parser"` (anything raised while loading the
    /// Lua) or `"file"` (main file unreadable, no parser for the file name).
    public var prosodyErrorKind: String?
    public init(kind: Kind, message: String, location: SourceLocation?, related: [SourceLocation] = []) {
        self.init(kind: kind, message: message, location: location, related: related, prosodyWouldFail: false)
    }
    public init(kind: Kind, message: String, location: SourceLocation?, related: [SourceLocation] = [],
                prosodyWouldFail: Bool, prosodyErrorKind: String? = nil) {
        self.kind = kind
        self.message = message
        self.location = location
        self.related = related
        self.prosodyWouldFail = prosodyWouldFail
        self.prosodyErrorKind = prosodyWouldFail ? (prosodyErrorKind ?? "parser") : prosodyErrorKind
    }
}

/// Which Prosody's configmanager semantics to follow.
public enum ProsodyVersion: String, Sendable, Hashable {
    /// 0.12.x (Debian's package): no `Lua`, `FileContents`...; option names read as Lua globals.
    case v0_12 = "0.12"
    /// 13.0: `Lua`, `FileContents`, `FileLine`, `FileLines`, `Credential`, option read-back.
    case v13 = "13.0"
}

/// A warning configmanager itself returns with a successful load (`Duplicate option 'x'`).
public struct ProsodyWarning: Sendable, Hashable {
    public var file: String
    public var line: Int
    /// Without location, e.g. `Duplicate option 'a'`.
    public var text: String
    public init(file: String, line: Int, text: String) {
        self.file = file
        self.line = line
        self.text = text
    }
    /// As Prosody prints it: `<file>:<line>: <text>`.
    public var message: String { "\(file):\(line): \(text)" }
}

/// The configuration as Prosody would load it, with provenance for every value.
public struct ProsodyConfiguration: Sendable {
    public var global: ConfigSection
    /// VirtualHosts and Components in the order they were first declared.
    public var sections: [ConfigSection] {
        didSet { sectionIndex = Self.index(sections) }
    }
    /// Name → position in `sections`: rules look sections up by name in loops.
    private var sectionIndex: [String: Int]
    /// Every assignment in evaluation order (for duplicate and placement checks).
    public var assignments: [OptionAssignment]
    /// Files loaded, in the order Prosody finishes loading them (includes before includers).
    public var files: [String]
    public var problems: [ConfigProblem]
    /// The main config file as loaded (absolute unless the loader was told otherwise).
    public var mainFile: String
    /// The semantics used.
    public var version: ProsodyVersion
    /// configmanager's own warnings, in Prosody's order.
    public var warnings: [ProsodyWarning]

    public init(global: ConfigSection, sections: [ConfigSection], assignments: [OptionAssignment],
                files: [String], problems: [ConfigProblem]) {
        self.global = global
        self.sections = sections
        self.sectionIndex = Self.index(sections)
        self.assignments = assignments
        self.files = files
        self.problems = problems
        self.mainFile = files.last ?? ""
        self.version = .v0_12
        self.warnings = []
    }

    /// The error Prosody would stop at (the first fatal problem met), nil when it loads.
    public var fatalProblem: ConfigProblem? { problems.first { $0.prosodyWouldFail } }
    /// True when Prosody would refuse this config (we still model everything we could).
    public var prosodyWouldFail: Bool { fatalProblem != nil }

    public var virtualHosts: [ConfigSection] { sections.filter(\.isVirtualHost) }
    public var components: [ConfigSection] { sections.filter { $0.componentModule != nil } }
    public func section(named name: String) -> ConfigSection? {
        if name == "*" { return global }
        return sectionIndex[name].map { sections[$0] }
    }

    private static func index(_ sections: [ConfigSection]) -> [String: Int] {
        Dictionary(sections.enumerated().map { ($1.name, $0) }) { first, _ in first }
    }

    /// Prosody's `config.get(host, name)`: the host's own value, else the global one.
    public func effectiveOption(_ name: String, in host: String) -> ConfigOption? {
        section(named: host)?.option(name) ?? global.option(name)
    }
}
