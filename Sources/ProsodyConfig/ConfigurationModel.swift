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
    public init(name: String, value: ConfigValue?, location: SourceLocation, section: String, viaTableForm: Bool) {
        self.name = name
        self.value = value
        self.location = location
        self.section = section
        self.viaTableForm = viaTableForm
    }
}

/// The effective value of an option in one section, with its provenance.
public struct ConfigOption: Sendable {
    public var name: String
    public var value: ConfigValue
    public var location: SourceLocation
    public init(name: String, value: ConfigValue, location: SourceLocation) {
        self.name = name
        self.value = value
        self.location = location
    }
}

public struct ConfigSection: Sendable {
    /// "*" for the global section, else the nameprepped host name.
    public var name: String
    public var kind: SectionKind
    /// Every place the section was declared (a VirtualHost may be declared more than once).
    public var declarations: [SourceLocation]
    /// Effective options, in the order they were first set.
    public var options: [ConfigOption]

    public init(name: String, kind: SectionKind, declarations: [SourceLocation], options: [ConfigOption]) {
        self.name = name
        self.kind = kind
        self.declarations = declarations
        self.options = options
    }

    public func option(_ name: String) -> ConfigOption? { options.first { $0.name == name } }
    public subscript(name: String) -> ConfigValue? { option(name)?.value }

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
    }
    public var kind: Kind
    public var message: String
    public var location: SourceLocation?
    /// Other relevant places (the first assignment of a duplicate, the clashing section...).
    public var related: [SourceLocation]
    public init(kind: Kind, message: String, location: SourceLocation?, related: [SourceLocation] = []) {
        self.kind = kind
        self.message = message
        self.location = location
        self.related = related
    }
}

/// The configuration as Prosody would load it, with provenance for every value.
public struct ProsodyConfiguration: Sendable {
    public var global: ConfigSection
    /// VirtualHosts and Components in the order they were first declared.
    public var sections: [ConfigSection]
    /// Every assignment in evaluation order (for duplicate and placement checks).
    public var assignments: [OptionAssignment]
    /// Files loaded, in the order Prosody finishes loading them (includes before includers).
    public var files: [String]
    public var problems: [ConfigProblem]

    public init(global: ConfigSection, sections: [ConfigSection], assignments: [OptionAssignment],
                files: [String], problems: [ConfigProblem]) {
        self.global = global
        self.sections = sections
        self.assignments = assignments
        self.files = files
        self.problems = problems
    }

    public var virtualHosts: [ConfigSection] { sections.filter(\.isVirtualHost) }
    public var components: [ConfigSection] { sections.filter { $0.componentModule != nil } }
    public func section(named name: String) -> ConfigSection? {
        name == "*" ? global : sections.first { $0.name == name }
    }

    /// Prosody's `config.get(host, name)`: the host's own value, else the global one.
    public func effectiveOption(_ name: String, in host: String) -> ConfigOption? {
        section(named: host)?.option(name) ?? global.option(name)
    }
}
