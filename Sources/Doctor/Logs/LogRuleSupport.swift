import Foundation
import ProsodyConfig
import ProsodyLog

extension LogAnalysis {
    /// Every example line kept (for `SourceFiles.addLogLines`).
    public var allExamples: [LogExample] {
        groups.values.flatMap { $0.values.flatMap(\.examples) }
    }

    /// The versions named by banners that are trunk nightlies.
    var trunkVersions: [String] { prosodyVersions.filter { $0.hasPrefix("trunk") } }
}

/// Shared pieces of the log rule families.
enum LogRuleSupport {
    /// `3 times, 10:17:54 … 10:20:01` / `once at 10:17:54`.
    static func span(count: Int, first: LogTimestamp?, last: LogTimestamp?) -> String {
        let times = count == 1 ? "once" : "\(count) times"
        guard let first else { return times }
        if count == 1 || last == nil || last == first { return count == 1 ? "once at \(first)" : "\(times) at \(first)" }
        return "\(times), \(first) … \(last!)"
    }

    static func span(_ groups: [LogFactGroup]) -> String {
        let count = groups.reduce(0) { $0 + $1.count }
        let first = groups.compactMap(\.firstTime).min(by: LogTimestamp.earlier)
        let last = groups.compactMap(\.lastTime).max(by: LogTimestamp.earlier)
        return span(count: count, first: first, last: last)
    }

    /// The first example of the groups (by file order, then line), and the other examples as related
    /// locations (up to `limit` in all).
    static func place(_ groups: [LogFactGroup], limit: Int = 5) -> (SourceLocation?, [RelatedLocation]) {
        let examples = groups.flatMap(\.examples).sorted { ($0.file, $0.line) < ($1.file, $1.line) }
        var seen = Set<String>()
        let unique = examples.filter { seen.insert("\($0.file):\($0.line)").inserted }
        guard let first = unique.first else { return (nil, []) }
        let related = unique.dropFirst().prefix(limit - 1).map { RelatedLocation($0.location, note: "also logged here") }
        return (first.location, Array(related))
    }

    /// A finding on a group set, at its first example line.
    static func finding(_ factory: FindingFactory, _ groups: [LogFactGroup], _ message: String,
                        related extra: [RelatedLocation] = [], fix: FixSuggestion? = nil,
                        confidence: Confidence = .certain, severity: Severity? = nil) -> Finding? {
        guard !groups.isEmpty else { return nil }
        let (location, related) = place(groups)
        return factory.make(message, at: location, related: related + extra, fix: fix ?? defaultFix(factory.rule),
                            confidence: confidence, severity: severity)
    }

    /// The catalogue fix's first paragraph, as one line.
    static func defaultFix(_ rule: RuleDescription) -> FixSuggestion {
        let paragraph = rule.fix.components(separatedBy: "\n\n").first ?? rule.fix
        let lines = paragraph.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        // Stop before a "Before:"/"After:" block.
        let prose = lines.prefix { !$0.hasSuffix(":") || !["Before:", "After:"].contains($0) }
        return FixSuggestion(prose.joined(separator: " "))
    }

    static func list(_ items: [String], limit: Int = 5) -> String {
        let shown = items.prefix(limit).joined(separator: ", ")
        return items.count > limit ? "\(shown) and \(items.count - limit) more" : shown
    }
}

/// Where in the config a log finding comes from (used only when a config was given too).
enum ConfigLookup {
    /// Assignments of `name` whose value is `true`, in the given sections (all when nil).
    static func trueAssignments(_ configuration: ProsodyConfiguration, _ name: String, sections: Set<String>? = nil) -> [OptionAssignment] {
        configuration.assignments.filter {
            $0.name == name && $0.value?.boolValue == true && (sections == nil || sections!.contains($0.section))
        }
    }

    /// VirtualHosts with `authentication = "token"`.
    static func tokenHosts(_ configuration: ProsodyConfiguration) -> [ConfigSection] {
        configuration.virtualHosts.filter { ($0["authentication"]?.stringValue ?? configuration.global["authentication"]?.stringValue) == "token" }
    }

    /// `modules_enabled` assignments whose list names the module (with or without `mod_`).
    static func modulesEnabled(_ configuration: ProsodyConfiguration, naming module: String) -> [OptionAssignment] {
        let bare = module.hasPrefix("mod_") ? String(module.dropFirst(4)) : module
        return configuration.assignments.filter { a in
            guard a.name == "modules_enabled" || a.name == "modules_disabled" || a.name == "modules_extra" else { return false }
            return a.value?.stringList?.contains(where: { $0 == bare || $0 == "mod_" + bare }) ?? false
        }
    }

    /// The `modules_enabled` of the MUC components (the conference MUC first: the one with token_verification).
    static func mucModulesEnabled(_ configuration: ProsodyConfiguration) -> [OptionAssignment] {
        let mucs = configuration.components.filter { $0.componentModule == "muc" }.map(\.name)
        let lines = configuration.assignments.filter { $0.name == "modules_enabled" && mucs.contains($0.section) }
        return lines.sorted { a, b in
            let ta = a.value?.stringList?.contains("token_verification") ?? false
            let tb = b.value?.stringList?.contains("token_verification") ?? false
            return ta && !tb
        }
    }

    static func declaration(_ configuration: ProsodyConfiguration, _ name: String) -> SourceLocation? {
        configuration.section(named: name.lowercased())?.declarations.first
    }

    static func assignments(_ configuration: ProsodyConfiguration, _ name: String, section: String) -> [OptionAssignment] {
        configuration.assignments.filter { $0.name == name && $0.section == section }
    }
}

/// The facts (from rules/log-signatures.yml) that the log rules and the correlation read, and the facts
/// the builder derives from them. A test checks every consumed fact has a signature.
public enum LogRuleFacts {
    public static let consumed: Set<String> = [
        // carried into token-verify-attempt (session_token=...) and read through the derived facts
        "session-token-nil",
        "session-token-present",
        "allow-empty-token",
        "affiliation-no-token",
        "authenticated",
        "authentication-failed",
        "certificate-directory-error",
        "certificate-load-failed",
        "component-auth-failed",
        "component-not-connected",
        "config-load-failed",
        "config-option-type",
        "config-warning",
        "duplicate-option",
        "empty-token-join",
        "focus-token-verified",
        "key-server-failed",
        "lua-library-missing",
        "lua-traceback",
        "module-init-failed",
        "module-load-failed",
        "muc-domain-base-missing",
        "no-sasl-mechanisms",
        "no-tls-context",
        "no-virtualhost",
        "option-no-effect-for-vhost",
        "pidfile-error",
        "prosody-trunk-nightly",
        "prosody-version",
        "running-as-root",
        "s2s-outgoing-failed",
        "s2s-stream-closed-error",
        "s2s-tls-failed",
        "sasl-insecure-connection",
        "storage-error",
        "tls-handshake-failed",
        "tls-init-failed",
        "token-affiliation",
        "token-app-id-empty",
        "token-config-missing",
        "token-join-denied",
        "token-room-allowed",
        "token-secret-missing",
        "token-verification-failed",
        "token-verifier-inactive",
        "token-verifier-started",
        "token-verify-attempt",
        "top-level-error",
    ]
    /// Derived by `LogAnalysisBuilder` from `token-verify-attempt` and the carried `Session token:` line.
    public static let derived: Set<String> = ["participant-token-nil", "focus-token-nil", "participant-token-present"]
}
