import LuaSyntax
import ProsodyConfig

public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case error, warning, info, hint

    /// error > warning > info > hint
    public var rank: Int {
        switch self {
        case .error: 3
        case .warning: 2
        case .info: 1
        case .hint: 0
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

public enum Confidence: String, Sendable, Codable, CaseIterable {
    case certain, likely, possible
}

public enum RuleCategory: String, Sendable, Codable, CaseIterable {
    case correctness, security, deprecation, performance, style
}

/// A place a finding points at, with an optional note (`first set here`).
public struct RelatedLocation: Sendable {
    public var location: SourceLocation
    public var note: String
    public init(_ location: SourceLocation, note: String) {
        self.location = location
        self.note = note
    }
}

/// A concrete text edit that fixes a finding when applied.
public struct TextEdit: Sendable {
    public var location: SourceLocation
    public var replacement: String
    public init(location: SourceLocation, replacement: String) {
        self.location = location
        self.replacement = replacement
    }
}

public struct FixSuggestion: Sendable {
    /// What to do, in one or two sentences.
    public var message: String
    /// A safe mechanical edit, when one exists.
    public var edits: [TextEdit]
    public init(_ message: String, edits: [TextEdit] = []) {
        self.message = message
        self.edits = edits
    }
}

/// One problem found, ready for any reporter. Messages carry concrete values
/// (hosts, option names) but never secrets.
public struct Finding: Sendable {
    public var ruleID: String
    public var ruleName: String
    public var severity: Severity
    public var category: RuleCategory
    public var message: String
    public var location: SourceLocation?
    public var related: [RelatedLocation]
    public var fix: FixSuggestion?
    public var confidence: Confidence

    public init(ruleID: String, ruleName: String, severity: Severity, category: RuleCategory, message: String,
                location: SourceLocation?, related: [RelatedLocation] = [], fix: FixSuggestion? = nil,
                confidence: Confidence = .certain) {
        self.ruleID = ruleID
        self.ruleName = ruleName
        self.severity = severity
        self.category = category
        self.message = message
        self.location = location
        self.related = related
        self.fix = fix
        self.confidence = confidence
    }
}
